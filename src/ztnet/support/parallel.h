// The library's one source of threads: a bounded pool, and a parallel loop over it for the
// analyses whose pieces are independent (rows of the pair table, NSGs, checks).
//
// Every loop runs on the pool current on the calling thread: a ThreadPool::Scope sets it (the
// analysis facade opens one over its pool of --threads threads), a pool's own workers run on their
// pool, and anything else on the process's default pool (one thread per core). A loop inside a
// loop offers its pieces to the same pool: idle workers help, busy ones do not, and the caller
// works through what is left. So a process never runs more threads than its pools hold, however
// loops nest, and no caller waits for work that has not started.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ztnet {

/// The threads the machine offers (at least 1).
inline unsigned hardware_threads() {
    return std::max(1U, std::thread::hardware_concurrency());
}

class ThreadPool {
  public:
    /// A pool of `threads` threads in all: the caller of a loop is one, so `threads - 1` workers
    /// are started (none for 1). 0 means one per core.
    explicit ThreadPool(unsigned threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /// The threads a loop on this pool may use, its caller included.
    unsigned size() const { return static_cast<unsigned>(workers_.size()) + 1; }

    /// The pool loops on this thread run on (see the top of this file).
    static ThreadPool& current();

    /// Makes `pool` the current pool of this thread for the scope's lifetime.
    class Scope {
      public:
        explicit Scope(ThreadPool& pool);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

      private:
        ThreadPool* previous_;
    };

    /// Work a worker may pick up: run() is called at most once per offer, on a worker thread.
    struct Task {
        virtual ~Task() = default;
        virtual void run() = 0;
    };
    /// Offers `task` to up to `copies` idle workers.
    void offer(const std::shared_ptr<Task>& task, unsigned copies);

  private:
    void work();

    std::mutex lock_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<Task>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

namespace detail {

// One parallel loop: its counters, shared by the caller and whichever workers join.
struct Loop final : ThreadPool::Task {
    Loop(std::size_t indices, std::size_t per_chunk, std::function<void(std::size_t, unsigned)> work)
        : count(indices), chunk(per_chunk), body(std::move(work)) {}

    // Takes chunks until none is left; `slot` is the participant's number.
    void take_chunks(unsigned slot);
    // A worker joining: it takes a participant number, unless the loop is over already.
    void run() override;
    // The caller: takes chunks as participant 0, then waits for the workers that joined.
    void run_and_wait();

    const std::size_t count;
    const std::size_t chunk;
    const std::function<void(std::size_t, unsigned)> body;
    std::atomic<std::size_t> next{0};
    std::atomic<unsigned> slots{1}; // participant 0 is the caller
    std::mutex lock;
    std::condition_variable finished;
    unsigned active = 0; // workers inside take_chunks, under `lock`
    std::exception_ptr error;
};

} // namespace detail

/// Calls body(i, worker) for every i in [0, count) on at most `threads` threads of the current
/// pool (worker is 0 .. threads-1, a number no other thread of this loop has at the same time; the
/// calling thread is 0), handing out `chunk` indices at a time. The first exception stops the
/// hand-out and is rethrown once every thread has left the loop.
template <class Body>
void parallel_for(std::size_t count, unsigned threads, std::size_t chunk, Body&& body) {
    chunk = std::max<std::size_t>(1, chunk);
    const std::size_t chunks = (count + chunk - 1) / chunk;
    ThreadPool& pool = ThreadPool::current();
    threads = static_cast<unsigned>(std::clamp<std::size_t>(chunks, 1, std::clamp(threads, 1U, pool.size())));
    if (threads == 1) { // nothing to share: no task, no lock
        for (std::size_t i = 0; i < count; ++i)
            body(i, 0U);
        return;
    }
    auto loop =
        std::make_shared<detail::Loop>(count, chunk, [&body](std::size_t i, unsigned w) { body(i, w); });
    pool.offer(loop, threads - 1);
    loop->run_and_wait();
}

/// One piece of work started ahead of its need: offered to an idle worker of the current pool,
/// and run by whoever calls wait() first if no worker has taken it by then. So a caller never
/// waits for work that has not started, and with a pool of one thread it is a plain call.
class Prefetch {
  public:
    explicit Prefetch(std::function<void()> work);
    /// Cancels the work if it has not started, else waits for it (its exception is dropped).
    ~Prefetch();
    Prefetch(const Prefetch&) = delete;
    Prefetch& operator=(const Prefetch&) = delete;

    /// Runs the work here if no worker has started it, else waits for it to end; rethrows what it
    /// threw. After it returns, everything the work wrote is visible to the caller.
    void wait();
    /// Runs the work here if nobody has started it; whether it did (wait() still says how it ended).
    bool run_here();
    /// Whether the work has ended (then wait() returns at once).
    bool done() const;

  private:
    struct State;
    std::shared_ptr<State> state_;
};

/// The threads the current pool offers a loop: what a loop that wants every core asks for.
inline unsigned pool_threads() {
    return ThreadPool::current().size();
}

} // namespace ztnet
