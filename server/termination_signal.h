// Waiting for SIGTERM / SIGINT without a signal handler.
//
// The signals are blocked in the main thread before any other thread starts, so every
// thread inherits the mask and none of them is killed by the signal; the main thread
// then picks the signal up synchronously with sigwait. This is what
// Poco::Util::ServerApplication::waitForTerminationRequest does on POSIX, without
// handing argument parsing over to Poco's application framework.
#pragma once

namespace salescore::cli {

// Call before starting any thread.
void block_termination_signals();
// Returns the number of the signal that arrived (SIGTERM or SIGINT).
int wait_for_termination_signal();

}  // namespace salescore::cli
