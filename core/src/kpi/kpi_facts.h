// KPI facts: what one base record adds to the aggregate tables (docs/kpi.md).
//
// A fact is a (name, local day, user, dim) key with an amount and a count. The facts of a
// record depend on that record alone (plus the owner of its parent for payments and
// stage times), so a change is applied exactly by taking away the facts of the record
// as it was and adding those of the record as it is now. KpiService::rebuild computes
// the same facts in SQL; the property test holds the two together.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/time_zone.h"
#include "salescore/engine.h"
#include "salescore/kpi.h"

namespace salescore::detail {

// Fact names, shared by the incremental path, the rebuild SQL and the readers.
namespace fact {
inline constexpr const char* kOrder = "order";                  // dim currency; value total
inline constexpr const char* kPayment = "payment";              // dim currency; value amount
inline constexpr const char* kLeadReceived = "lead.received";   // dim channel
inline constexpr const char* kLeadConverted = "lead.converted";
inline constexpr const char* kLeadResponse = "lead.response";   // value ms to first action
inline constexpr const char* kLeadBreach = "lead.breach";
inline constexpr const char* kDealCreated = "deal.created";     // value 1 when won since
inline constexpr const char* kDealWon = "deal.won";             // dim currency; value expected amount
inline constexpr const char* kDealCycle = "deal.cycle";         // value ms created -> won
inline constexpr const char* kDealLost = "deal.lost";           // dim lost reason
inline constexpr const char* kDealStage = "deal.stage";         // dim stage; value ms spent
inline constexpr const char* kCall = "call";                    // dim "direction:answered|missed"; value s
inline constexpr const char* kClaimOpened = "claim.opened";     // dim kind
inline constexpr const char* kClaimClosed = "claim.closed";     // dim status
inline constexpr const char* kClaimCause = "claim.cause";       // dim cause key
inline constexpr const char* kRouteVisit = "route.visit";       // dim planned|unplanned; value 1 with an order
inline constexpr const char* kSegmentMove = "segment.move";     // dim "from>to", to the owner at the move
// Interactions other than calls use their kind's name ("email", "meeting", "visit",
// "message", "note") as the fact, with the direction as dim.
}  // namespace fact

struct Fact {
  const char* name = "";
  std::int64_t day = 0;
  Id user_id = 0;
  std::string dim;
  std::int64_t value = 0;
  std::int64_t n = 0;
};
using Facts = std::vector<Fact>;

// Local day numbers in the company zone: 1970-01-01 is day 0.
std::int64_t local_day_number(const TimeZone& tz, Instant t);
// The UTC instant at which local day `day` begins.
Instant local_day_start(const TimeZone& tz, std::int64_t day);
// yyyymm of a day number (both are local calendar notions; no zone needed).
std::int64_t month_key(std::int64_t day);
// The first day number of a yyyymm month.
std::int64_t first_day_of_month(std::int64_t month);
// The zone of the configuration, looked up once per name.
const TimeZone& company_zone(const EngineState& s);

void facts_of(const TimeZone& tz, const Order& o, Facts& out);
void facts_of(const TimeZone& tz, const Payment& p, Id order_owner, Facts& out);
// A refund of `order` lowers its owner's sales on the day of the refund: an "order" fact
// (dim currency) with the amount taken away and no order counted (n 0). None while the
// order is cancelled: a cancelled order counts for nothing already, so a full refund that
// cancels it is not subtracted twice (docs/kpi.md, "Refunds").
void facts_of_refund(const TimeZone& tz, const Order& order, Instant refunded_at, std::int64_t amount_minor,
                     Facts& out);
void facts_of(const TimeZone& tz, const Lead& l, Facts& out);
void facts_of(const TimeZone& tz, const Deal& d, Facts& out);
void facts_of_stage(const TimeZone& tz, const StageVisit& v, Id deal_owner, Facts& out);
void facts_of(const TimeZone& tz, const Interaction& i, Facts& out);
void facts_of(const TimeZone& tz, const Claim& c, Facts& out);
void facts_of(const TimeZone& tz, const Visit& v, Facts& out);
void facts_of_breach(const TimeZone& tz, Id user_id, Instant breached_at, Facts& out);
// A client moved from one segment to another (segments.h), credited to its owner then.
void facts_of_segment_move(const TimeZone& tz, Id owner_id, Instant at, const std::string& from,
                           const std::string& to, Facts& out);

}  // namespace salescore::detail
