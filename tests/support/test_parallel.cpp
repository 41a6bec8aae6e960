// The thread pool and the parallel loop: every index once, worker numbers exclusive, exceptions
// passed on, and nested loops bounded by the pool's threads; work prefetched on the pool runs once,
// on a worker or on whoever waits for it.
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/support/parallel.h"

namespace ztnet {
namespace {

TEST(ParallelFor, VisitsEveryIndexOnce) {
    ThreadPool pool(4);
    ThreadPool::Scope scope(pool);
    for (std::size_t count : {0, 1, 7, 64, 1000}) {
        for (std::size_t chunk : {1, 3, 64}) {
            std::vector<std::atomic<int>> seen(count);
            parallel_for(count, 4, chunk, [&](std::size_t i, unsigned) { seen[i].fetch_add(1); });
            for (std::size_t i = 0; i < count; ++i)
                ASSERT_EQ(seen[i].load(), 1) << "count " << count << " chunk " << chunk << " index " << i;
        }
    }
}

TEST(ParallelFor, WorkerNumbersAreBelowThreadsAndNeverShared) {
    ThreadPool pool(4);
    ThreadPool::Scope scope(pool);
    constexpr unsigned kThreads = 3;
    std::atomic<int> inside[kThreads] = {};
    std::atomic<bool> shared{false};
    std::atomic<bool> out_of_range{false};
    parallel_for(3000, kThreads, 1, [&](std::size_t, unsigned worker) {
        if (worker >= kThreads) {
            out_of_range = true;
            return;
        }
        if (inside[worker].fetch_add(1) != 0)
            shared = true;
        std::this_thread::yield();
        inside[worker].fetch_sub(1);
    });
    EXPECT_FALSE(out_of_range);
    EXPECT_FALSE(shared);
}

TEST(ParallelFor, PassesOnTheFirstExceptionAndStops) {
    ThreadPool pool(3);
    ThreadPool::Scope scope(pool);
    std::atomic<std::size_t> calls{0};
    // Pieces after the failing one take a little time, so that a loop that kept handing out work
    // would need seconds to reach the end: the count shows whether the hand-out stopped, however
    // the threads are scheduled (a busy machine once ran all of them before piece 10 threw).
    EXPECT_THROW(parallel_for(100000, 3, 1,
                              [&](std::size_t i, unsigned) {
                                  calls.fetch_add(1);
                                  if (i == 10)
                                      throw std::runtime_error("piece 10 failed");
                                  if (i > 10)
                                      std::this_thread::sleep_for(std::chrono::microseconds(100));
                              }),
                 std::runtime_error);
    EXPECT_LT(calls.load(), 100000U); // the hand-out stopped
    // The pool still works afterwards.
    std::atomic<std::size_t> after{0};
    parallel_for(100, 3, 1, [&](std::size_t, unsigned) { after.fetch_add(1); });
    EXPECT_EQ(after.load(), 100U);
}

// Loops three deep, each asking for more threads than the pool has: the work all happens, and on no
// more distinct threads than the pool holds (its workers and the caller).
TEST(ParallelFor, NestedLoopsStayInsideThePool) {
    ThreadPool pool(3);
    ThreadPool::Scope scope(pool);
    std::mutex lock;
    std::set<std::thread::id> threads;
    std::atomic<int> leaves{0};
    parallel_for(6, 16, 1, [&](std::size_t, unsigned) {
        parallel_for(6, 16, 1, [&](std::size_t, unsigned) {
            parallel_for(6, 16, 1, [&](std::size_t, unsigned) {
                {
                    std::lock_guard guard(lock);
                    threads.insert(std::this_thread::get_id());
                }
                leaves.fetch_add(1);
            });
        });
    });
    EXPECT_EQ(leaves.load(), 216);
    EXPECT_LE(threads.size(), 3U);
}

TEST(ThreadPool, ScopeSetsTheCurrentPoolAndRestoresIt) {
    ThreadPool& outer = ThreadPool::current();
    {
        ThreadPool one(1);
        ThreadPool::Scope scope(one);
        EXPECT_EQ(&ThreadPool::current(), &one);
        EXPECT_EQ(pool_threads(), 1U);
        // A pool of one runs every loop on the caller.
        std::set<std::thread::id> threads;
        parallel_for(100, 8, 1, [&](std::size_t, unsigned worker) {
            EXPECT_EQ(worker, 0U);
            threads.insert(std::this_thread::get_id());
        });
        EXPECT_EQ(threads.size(), 1U);
    }
    EXPECT_EQ(&ThreadPool::current(), &outer);
}

TEST(ThreadPool, WorkersRunLoopsOnTheirOwnPool) {
    ThreadPool pool(2);
    ThreadPool::Scope scope(pool);
    std::atomic<int> on_pool{0};
    parallel_for(64, 2, 1, [&](std::size_t, unsigned) {
        if (&ThreadPool::current() == &pool)
            on_pool.fetch_add(1);
    });
    EXPECT_EQ(on_pool.load(), 64);
}

// An idle worker takes the work; what it wrote is seen after wait().
TEST(Prefetch, AnIdleWorkerRunsIt) {
    ThreadPool pool(2);
    ThreadPool::Scope scope(pool);
    std::atomic<bool> started{false};
    std::thread::id ran_on;
    std::vector<int> written;
    Prefetch prefetch([&] {
        started.store(true);
        ran_on = std::this_thread::get_id();
        written.assign(1000, 7);
    });
    while (!started.load()) // the worker takes it: nobody else would run it before wait()
        std::this_thread::yield();
    prefetch.wait();
    EXPECT_NE(ran_on, std::this_thread::get_id());
    EXPECT_EQ(written, std::vector<int>(1000, 7));
}

// Without a worker, the caller of wait() runs the work, once.
TEST(Prefetch, WithoutAWorkerTheWaiterRunsIt) {
    ThreadPool pool(1);
    ThreadPool::Scope scope(pool);
    int runs = 0;
    std::thread::id ran_on;
    Prefetch prefetch([&] {
        ++runs;
        ran_on = std::this_thread::get_id();
    });
    EXPECT_EQ(runs, 0);
    prefetch.wait();
    prefetch.wait();
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(ran_on, std::this_thread::get_id());
}

// Whoever has nothing better to do may run work nobody started, once.
TEST(Prefetch, RunHereRunsWorkNobodyStarted) {
    ThreadPool pool(1);
    ThreadPool::Scope scope(pool);
    int runs = 0;
    Prefetch prefetch([&] { ++runs; });
    EXPECT_FALSE(prefetch.done());
    EXPECT_TRUE(prefetch.run_here());
    EXPECT_TRUE(prefetch.done());
    EXPECT_FALSE(prefetch.run_here());
    prefetch.wait();
    EXPECT_EQ(runs, 1);
}

TEST(Prefetch, PassesOnWhatTheWorkThrew) {
    for (const unsigned threads : {1U, 2U}) {
        ThreadPool pool(threads);
        ThreadPool::Scope scope(pool);
        Prefetch prefetch([] { throw std::runtime_error("broken"); });
        EXPECT_THROW(prefetch.wait(), std::runtime_error) << threads;
    }
}

// A prefetch dropped before anyone ran it never runs; one dropped while it runs is waited for.
TEST(Prefetch, DroppedItIsCancelledOrWaitedFor) {
    ThreadPool pool(1);
    ThreadPool::Scope scope(pool);
    bool ran = false;
    {
        Prefetch prefetch([&] { ran = true; });
    }
    EXPECT_FALSE(ran);

    ThreadPool two(2);
    ThreadPool::Scope inner(two);
    std::atomic<bool> started{false};
    std::atomic<bool> finished{false};
    {
        Prefetch prefetch([&] {
            started.store(true);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            finished.store(true);
        });
        while (!started.load())
            std::this_thread::yield();
    }
    EXPECT_TRUE(finished.load());
}

} // namespace
} // namespace ztnet
