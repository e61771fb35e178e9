// Segment names, the segmentation rule itself, and the segment's field list.
#include <algorithm>

#include "model/enum_names.h"
#include "salescore/segments.h"

namespace salescore {
using detail::name_of;
using detail::parse_from;

namespace {
constexpr std::array<std::pair<Segment, const char*>, 5> kSegments{{{Segment::kNew, "new"},
                                                                    {Segment::kHot, "hot"},
                                                                    {Segment::kWarm, "warm"},
                                                                    {Segment::kCooling, "cooling"},
                                                                    {Segment::kSleeping, "sleeping"}}};
constexpr std::int64_t kDayMs = 86'400'000;
}  // namespace

const char* segment_name(Segment s) { return name_of(kSegments, s); }
Result<Segment> parse_segment(std::string_view n) { return parse_from(kSegments, n, "segment"); }

SegmentVerdict classify_segment(const SegmentConfig& config, Instant client_created_at,
                                std::optional<Instant> last_order_at, Instant at) {
  // A segment lasts while the whole days elapsed are within its threshold: with
  // hot_days = 30 a client is hot up to 30 days and 23:59 after the order, and warm
  // from day 31. Thresholds set out of order (Config::set, one key at a time) are
  // read as if each were at least the one before.
  auto after_days = [](Instant from, int days) { return Instant{from.ms + (static_cast<std::int64_t>(days) + 1) * kDayMs}; };
  if (!last_order_at) {
    Instant sleeps = after_days(client_created_at, config.new_days);
    if (at < sleeps) return {Segment::kNew, client_created_at, sleeps};
    return {Segment::kSleeping, sleeps, std::nullopt};
  }
  const Instant last = *last_order_at;
  const int warm = std::max(config.warm_days, config.hot_days);
  const Instant hot_end = after_days(last, config.hot_days);
  const Instant warm_end = after_days(last, warm);
  const Instant cooling_end = after_days(last, std::max(config.sleeping_days, warm));
  if (at < hot_end) return {Segment::kHot, last, hot_end};
  if (at < warm_end) return {Segment::kWarm, hot_end, warm_end};
  if (at < cooling_end) return {Segment::kCooling, warm_end, cooling_end};
  return {Segment::kSleeping, cooling_end, std::nullopt};
}

FieldList fields_of(const ClientSegment& s) {
  FieldList f;
  f.number("client_id", s.client_id);
  f.string("segment", segment_name(s.segment));
  f.instant("last_order_at", s.last_order_at);
  f.instant("since", s.since);
  f.instant("next_change_at", s.next_change_at);
  return f;
}

}  // namespace salescore
