#include "ztnet/support/parallel.h"

#include <utility>

namespace ztnet {
namespace {

// The pool set by a Scope, or the pool a worker belongs to; null: the default pool.
thread_local ThreadPool* current_pool = nullptr;

} // namespace

ThreadPool::ThreadPool(unsigned threads) {
    const unsigned total = threads == 0 ? hardware_threads() : threads;
    workers_.reserve(total - 1);
    for (unsigned k = 1; k < total; ++k)
        workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard guard(lock_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_)
        worker.join();
}

ThreadPool& ThreadPool::current() {
    if (current_pool)
        return *current_pool;
    static ThreadPool default_pool(0);
    return default_pool;
}

ThreadPool::Scope::Scope(ThreadPool& pool) : previous_(current_pool) {
    current_pool = &pool;
}

ThreadPool::Scope::~Scope() {
    current_pool = previous_;
}

void ThreadPool::offer(const std::shared_ptr<Task>& task, unsigned copies) {
    if (workers_.empty() || copies == 0)
        return;
    {
        std::lock_guard guard(lock_);
        for (unsigned k = 0; k < copies; ++k)
            queue_.push_back(task);
    }
    if (copies == 1)
        wake_.notify_one();
    else
        wake_.notify_all();
}

void ThreadPool::work() {
    current_pool = this; // loops inside a task run on this pool too
    for (;;) {
        std::shared_ptr<Task> task;
        {
            std::unique_lock guard(lock_);
            wake_.wait(guard, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty())
                return; // stopping, nothing left
            task = std::move(queue_.front());
            queue_.pop_front();
        }
        task->run();
    }
}

// The work's state: Pending until someone claims it, Running while it runs, Done after. The pool's
// queue may hold the state after the Prefetch is gone: run() then finds it claimed and returns.
struct Prefetch::State final : ThreadPool::Task {
    enum : int { Pending, Running, Done };

    explicit State(std::function<void()> w) : work(std::move(w)) {}

    bool claim() {
        int expected = Pending;
        return phase.compare_exchange_strong(expected, Running, std::memory_order_acquire);
    }
    void execute() {
        try {
            work();
        } catch (...) {
            error = std::current_exception();
        }
        phase.store(Done, std::memory_order_release);
        phase.notify_all();
    }
    void run() override {
        if (claim())
            execute();
    }
    void wait_done() {
        for (int now = phase.load(std::memory_order_acquire); now != Done;
             now = phase.load(std::memory_order_acquire))
            phase.wait(now, std::memory_order_acquire);
    }

    std::function<void()> work;
    std::atomic<int> phase{Pending};
    std::exception_ptr error; // written before Done is published, read after it is seen
};

Prefetch::Prefetch(std::function<void()> work) : state_(std::make_shared<State>(std::move(work))) {
    ThreadPool::current().offer(state_, 1);
}

Prefetch::~Prefetch() {
    int expected = State::Pending;
    if (!state_->phase.compare_exchange_strong(expected, State::Done, std::memory_order_acq_rel))
        state_->wait_done();
}

bool Prefetch::run_here() {
    if (!state_->claim())
        return false;
    state_->execute();
    return true;
}

bool Prefetch::done() const {
    return state_->phase.load(std::memory_order_acquire) == State::Done;
}

void Prefetch::wait() {
    if (state_->claim())
        state_->execute();
    else
        state_->wait_done();
    if (state_->error)
        std::rethrow_exception(std::exchange(state_->error, nullptr));
}

namespace detail {

void Loop::take_chunks(unsigned slot) {
    try {
        for (std::size_t first; (first = next.fetch_add(chunk)) < count;) {
            const std::size_t last = std::min(first + chunk, count);
            for (std::size_t i = first; i < last; ++i)
                body(i, slot);
        }
    } catch (...) {
        std::lock_guard guard(lock);
        if (!error)
            error = std::current_exception();
        next = count; // the others stop at their next chunk
    }
}

void Loop::run() {
    {
        std::lock_guard guard(lock);
        ++active;
    }
    // Joining after the caller saw every chunk taken: nothing to do, and `body` may be gone.
    if (next.load() < count)
        take_chunks(slots.fetch_add(1));
    std::lock_guard guard(lock);
    if (--active == 0)
        finished.notify_all();
}

void Loop::run_and_wait() {
    take_chunks(0);
    std::unique_lock guard(lock);
    // Every chunk is taken (take_chunks returned); wait for those still being worked on. A worker
    // that joins from now on finds nothing to take.
    finished.wait(guard, [&] { return active == 0; });
    if (error)
        std::rethrow_exception(error);
}

} // namespace detail
} // namespace ztnet
