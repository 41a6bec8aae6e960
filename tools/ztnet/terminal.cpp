#include "terminal.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <regex>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

namespace ztnet::cli {

namespace {

TerminalSettings settings;

bool set(const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
}

bool dumb_terminal() {
    const char* term = std::getenv("TERM");
    return term && std::string_view(term) == "dumb";
}

// The line and the thread that refreshes its elapsed time twice a second.
class ProgressLine {
  public:
    ~ProgressLine() { stop(); }

    void start(std::string_view phase) {
        stop();
        std::lock_guard lock(mutex_);
        phase_ = phase;
        started_ = std::chrono::steady_clock::now();
        running_ = true;
        draw();
        ticker_ = std::thread([this] { tick(); });
    }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            if (!running_)
                return;
            running_ = false;
            std::fputs("\r\033[K", stderr);
            std::fflush(stderr);
        }
        wake_.notify_all();
        if (ticker_.joinable())
            ticker_.join();
    }

  private:
    void draw() {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        const std::string line = fmt::format("\r\033[Kztnet: {}… {:.1f} s", phase_, seconds);
        std::fputs(line.c_str(), stderr);
        std::fflush(stderr);
    }

    void tick() {
        std::unique_lock lock(mutex_);
        while (running_) {
            wake_.wait_for(lock, std::chrono::milliseconds(500));
            if (running_)
                draw();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread ticker_;
    std::string phase_;
    std::chrono::steady_clock::time_point started_;
    bool running_ = false;
};

ProgressLine& line() {
    static ProgressLine instance;
    return instance;
}

std::string paint(const std::string& text, const std::regex& pattern, const std::string& code) {
    return std::regex_replace(text, pattern, "\033[" + code + "m$&\033[0m");
}

} // namespace

void configure_terminal(bool quiet) {
    settings.quiet = quiet;
    settings.progress = !quiet && isatty(STDERR_FILENO) && !set("CI") && !dumb_terminal();
    settings.colour = isatty(STDOUT_FILENO) && !set("NO_COLOR") && !dumb_terminal();
}

const TerminalSettings& terminal() {
    return settings;
}

void progress(std::string_view phase) {
    if (settings.progress)
        line().start(phase);
}

void progress_done() {
    if (settings.progress)
        line().stop();
}

std::string coloured(std::string text) {
    if (!settings.colour)
        return text;
    // Severities where the reports write them: the audit's table and finding lines, the diff's.
    static const std::regex kCritical(R"((?:^|\b)critical(?= +\d| +ZT-)|\bCRITICAL\b)",
                                      std::regex::multiline);
    static const std::regex kHigh(R"((?:^|\b)high(?= +\d| +ZT-)|\bHIGH\b)", std::regex::multiline);
    static const std::regex kMedium(R"((?:^|\b)medium(?= +\d| +ZT-)|\bMEDIUM\b)", std::regex::multiline);
    static const std::regex kVerdictBad(R"(\b(?:ALLOWED|BROKEN|EXCESS|MISSING|newly allowed)\b)");
    static const std::regex kVerdictGood(R"(\b(?:DENIED|HOLDS|newly denied)\b)");
    static const std::regex kVerdictUnknown(R"(\bUNDECIDABLE\b)");
    text = paint(text, kCritical, "1;31");
    text = paint(text, kHigh, "31");
    text = paint(text, kMedium, "33");
    text = paint(text, kVerdictBad, "31");
    text = paint(text, kVerdictGood, "32");
    return paint(text, kVerdictUnknown, "33");
}

} // namespace ztnet::cli
