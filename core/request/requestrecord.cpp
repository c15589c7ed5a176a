#include "requestrecord.h"

namespace coord {

const char* requestStateName(RequestState state)
{
    switch (state) {
    case RequestState::Arrive: return "ARRIVE";
    case RequestState::Scheduled: return "SCHEDULED";
    case RequestState::Dispatched: return "DISPATCHED";
    case RequestState::FirstToken: return "FIRST_TOKEN";
    case RequestState::Finished: return "FINISHED";
    case RequestState::Failed: return "FAILED";
    case RequestState::TimedOut: return "TIMED_OUT";
    case RequestState::Cancelled: return "CANCELLED";
    }
    return "UNKNOWN";
}

} // namespace coord
