// The per-worker timer map behind every request's time limits: entries fire in deadline order,
// once; moving or disarming an entry takes effect, also from inside another entry's callback.
#include "server/pipeline/jobtimers.h"

#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "eventloopwait.h"

using coord::server::JobTimers;
using namespace std::chrono_literals;

namespace {

bool waitFor(const std::function<bool()>& condition)
{
    return coord::test::waitUntil(condition, 10000, 2);
}

void spinFor(int ms)
{
    coord::test::spinEventLoop(ms);
}

// Records which client fired, with an optional action run inside the callback.
struct Recorder : JobTimers::Client
{
    Recorder(int recorderName, std::vector<int>* firedLog) : name(recorderName), fired(firedLog) {}
    virtual ~Recorder() = default;
    void onTimer(JobTimers::Kind) override
    {
        fired->push_back(name);
        if (action)
            action();
    }

    int name;
    std::vector<int>* fired;
    std::function<void()> action;
    JobTimers::Slot slot;
};

TEST(JobTimersTest, EntriesFireOnceInDeadlineOrder)
{
    JobTimers timers;
    std::vector<int> fired;
    Recorder late(3, &fired), early(1, &fired), middle(2, &fired);
    const auto now = JobTimers::Clock::now();
    timers.arm(late.slot, &late, JobTimers::Kind::Deadline, now + 60ms);
    timers.arm(early.slot, &early, JobTimers::Kind::Deadline, now + 20ms);
    timers.arm(middle.slot, &middle, JobTimers::Kind::ScheduleRetry, now + 40ms);
    ASSERT_TRUE(waitFor([&] { return fired.size() == 3; }));
    spinFor(100);
    EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
    EXPECT_FALSE(early.slot.isArmed());
    EXPECT_EQ(timers.armedCount(), 0);
}

TEST(JobTimersTest, RearmingMovesAnEntryAndDisarmingDropsIt)
{
    JobTimers timers;
    std::vector<int> fired;
    Recorder moved(1, &fired), dropped(2, &fired), anchor(3, &fired);
    const auto now = JobTimers::Clock::now();
    timers.arm(moved.slot, &moved, JobTimers::Kind::Deadline, now + 10ms);
    timers.arm(dropped.slot, &dropped, JobTimers::Kind::Deadline, now + 20ms);
    timers.arm(anchor.slot, &anchor, JobTimers::Kind::Deadline, now + 50ms);
    timers.arm(moved.slot, &moved, JobTimers::Kind::Deadline, now + 100ms); // later now
    timers.disarm(dropped.slot);
    EXPECT_FALSE(dropped.slot.isArmed());
    ASSERT_TRUE(waitFor([&] { return fired.size() == 2; }));
    spinFor(50);
    EXPECT_EQ(fired, (std::vector<int>{3, 1}));
}

TEST(JobTimersTest, CallbacksMayDisarmOrArmOtherEntries)
{
    JobTimers timers;
    std::vector<int> fired;
    Recorder first(1, &fired), disarmedByFirst(2, &fired), armedByFirst(3, &fired);
    const auto now = JobTimers::Clock::now();
    // Both due in the same pass; the first one's callback drops the second before it fires
    // and arms a third for "now".
    first.action = [&] {
        timers.disarm(disarmedByFirst.slot);
        timers.arm(armedByFirst.slot, &armedByFirst, JobTimers::Kind::ScheduleRetry, JobTimers::Clock::now());
    };
    timers.arm(first.slot, &first, JobTimers::Kind::Deadline, now + 10ms);
    timers.arm(disarmedByFirst.slot, &disarmedByFirst, JobTimers::Kind::Deadline, now + 10ms);
    ASSERT_TRUE(waitFor([&] { return fired.size() >= 2; }));
    spinFor(50);
    EXPECT_EQ(fired, (std::vector<int>{1, 3}));
}

TEST(JobTimersTest, AnEntryRearmedFromItsOwnCallbackFiresAgain)
{
    JobTimers timers;
    std::vector<int> fired;
    Recorder repeating(1, &fired);
    repeating.action = [&] {
        if (fired.size() < 3)
            timers.arm(repeating.slot, &repeating, JobTimers::Kind::ScheduleRetry,
                       JobTimers::Clock::now() + 5ms);
    };
    timers.arm(repeating.slot, &repeating, JobTimers::Kind::ScheduleRetry, JobTimers::Clock::now() + 5ms);
    ASSERT_TRUE(waitFor([&] { return fired.size() == 3; }));
    spinFor(50);
    EXPECT_EQ(fired.size(), 3u);
    EXPECT_FALSE(repeating.slot.isArmed());
}

} // namespace
