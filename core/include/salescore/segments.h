// Segmentation of clients by the recency of their last purchase: new, hot, warm,
// cooling, sleeping. Each move is an event and gives the client's manager the contact
// task of the new segment's cadence. Moves happen when an order is created or changed
// and in Engine::run_due when time moves a client on. VIP (Client::tier) is separate.
// Rules and thresholds ([segments] in the config) in docs/rules.md, "Segmentation".
//
// Include salescore/engine.h, or this header: each includes the other (see payments.h).
//
// Thread-safety: like every service, calls are serialized on the engine's connection.
#include "salescore/engine.h"

#ifndef SALESCORE_SEGMENTS_H_
#define SALESCORE_SEGMENTS_H_

#include <optional>
#include <string_view>
#include <vector>

#include "salescore/record_fields.h"

namespace salescore {

enum class Segment { kNew, kHot, kWarm, kCooling, kSleeping };
const char* segment_name(Segment s);
Result<Segment> parse_segment(std::string_view name);

struct ClientSegment {
  Id client_id = 0;
  Segment segment = Segment::kNew;
  std::optional<Instant> last_order_at;   // the last order that is not cancelled
  Instant since;                          // when the client entered the segment, by the rule
  std::optional<Instant> next_change_at;  // when it moves on by itself if no order comes
};

// Where the rule puts a client at `at`; pure, for reports and simulations.
struct SegmentVerdict {
  Segment segment = Segment::kNew;
  Instant since;
  std::optional<Instant> next_change_at;
};
SegmentVerdict classify_segment(const SegmentConfig& config, Instant client_created_at,
                                std::optional<Instant> last_order_at, Instant at);

struct SegmentQuery {
  std::optional<Segment> segment;
  std::optional<Id> owner_id;
  Page page;  // by client id
};

class SegmentService {
 public:
  explicit SegmentService(detail::EngineState* s) : s_(s) {}
  // The client's segment as recorded; a client not classified yet (run_due has not run
  // since it was added) is classified on the fly without recording anything.
  Result<ClientSegment> get(const Actor& actor, Id client_id);
  // Recorded segments of the clients the actor sees.
  Result<std::vector<ClientSegment>> find(const Actor& actor, const SegmentQuery& query);

 private:
  detail::EngineState* s_;
};

FieldList fields_of(const ClientSegment& s);

}  // namespace salescore

#endif  // SALESCORE_SEGMENTS_H_
