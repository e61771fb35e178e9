// The rules shared by shipments, schedules and payments, and the installment reminder
// timer that Engine::run_due runs.
#pragma once

#include "engine/engine_state.h"

namespace salescore::detail {

// A shipment, schedule or payment is checked like its order: whoever may act on the
// order may act on them. The system (user 0) is not checked.
Status check_order_access(EngineState& s, const Actor& actor, const Order& order, const std::string& action,
                          const std::string& entity, Id entity_id);

// Marks the installments of the order's schedule that its payments now cover as paid
// (paid_at: when the covering payment was received), logs "installment.paid" for each,
// and completes their reminder and overdue tasks.
Status settle_installments(EngineState& s, const Actor& actor, Id order_id);

// Timer: the mid-term and day-before reminders ("installment.reminder", a task for the
// client's manager) and the one overdue task ("installment.overdue") due at now.
Status remind_installments(EngineState& s, DueReport& report);

}  // namespace salescore::detail
