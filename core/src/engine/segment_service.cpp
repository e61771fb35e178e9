// Reading client segments; the moves themselves are in engine/segment_rules.cpp.
#include "engine/record_writes.h"
#include "engine/segment_rules.h"
#include "rules/access.h"
#include "store/segment_rows.h"

namespace salescore {
using namespace detail;

Result<ClientSegment> SegmentService::get(const Actor& actor, Id client_id) {
  return read<ClientSegment>(*s_, [&]() -> Result<ClientSegment> {
    SC_ASSIGN_OR_RETURN(auto c, store::segment_candidate(*s_->conn, client_id));
    if (!c) return not_found("client", client_id);
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_ASSIGN_OR_RETURN(bool ok, covers_client_id(*s_, scope, client_id));
    if (!ok) return deny(*s_, actor, "read", "client", client_id);
    return segment_view(*s_, *c);
  });
}

Result<std::vector<ClientSegment>> SegmentService::find(const Actor& actor, const SegmentQuery& query) {
  return read<std::vector<ClientSegment>>(*s_, [&]() -> Result<std::vector<ClientSegment>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_ASSIGN_OR_RETURN(auto rows, store::find_client_segments(*s_->conn, query,
                                                               scope.condition("c.owner_id", "c.source", "c.assistant_id")));
    std::vector<ClientSegment> out;
    for (const auto& c : rows) out.push_back(segment_view(*s_, c));
    return out;
  });
}

}  // namespace salescore
