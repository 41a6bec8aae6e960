// A parallel loop for the analyses whose pieces are independent (rows of the pair table, NSGs):
// indices are handed out a chunk at a time to a few threads, the calling thread among them.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace ztnet {

/// The threads the machine offers (at least 1).
inline unsigned hardware_threads() {
    return std::max(1U, std::thread::hardware_concurrency());
}

/// Calls body(i, worker) for every i in [0, count) on `threads` threads (worker is 0 .. threads-1;
/// the calling thread is worker 0), handing out `chunk` indices at a time. The first exception
/// stops the hand-out and is rethrown once every thread has finished.
template <class Body>
void parallel_for(std::size_t count, unsigned threads, std::size_t chunk, Body&& body) {
    chunk = std::max<std::size_t>(1, chunk);
    // No more threads than chunks: a loop of one chunk runs on the calling thread alone.
    threads =
        static_cast<unsigned>(std::clamp<std::size_t>((count + chunk - 1) / chunk, 1, std::max(1U, threads)));
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(threads);
    auto work = [&](unsigned worker) {
        try {
            for (std::size_t first; (first = next.fetch_add(chunk)) < count;) {
                const std::size_t last = std::min(first + chunk, count);
                for (std::size_t i = first; i < last; ++i)
                    body(i, worker);
            }
        } catch (...) {
            errors[worker] = std::current_exception();
            next = count; // the others stop at their next chunk
        }
    };
    std::vector<std::thread> helpers;
    helpers.reserve(threads - 1);
    for (unsigned worker = 1; worker < threads; ++worker)
        helpers.emplace_back(work, worker);
    work(0);
    for (std::thread& helper : helpers)
        helper.join();
    for (const std::exception_ptr& error : errors) {
        if (error)
            std::rethrow_exception(error);
    }
}

} // namespace ztnet
