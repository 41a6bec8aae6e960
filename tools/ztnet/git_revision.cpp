#include "git_revision.h"

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

extern char** environ;

namespace ztnet::cli {

namespace {

namespace fs = std::filesystem;

struct Ran {
    int status = -1; // the exit status; -1 when it could not start or was killed
    std::string out;
    std::string err;
};

std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) != 0;) {
        if (n < 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

// Runs a program with these arguments (no shell: a revision is passed as it is given). Standard
// error goes to a temporary file so that neither pipe can fill while the other is read.
Ran run(const std::vector<std::string>& argv) {
    Ran ran;
    int out[2];
    if (pipe(out) != 0)
        return ran;
    FILE* err = std::tmpfile();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    if (err)
        posix_spawn_file_actions_adddup2(&actions, fileno(err), STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned == 0) {
        ran.out = read_all(out[0]);
        int status = 0;
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
            ran.status = WEXITSTATUS(status);
    } else {
        ran.err = fmt::format("{} could not be started", argv[0]);
    }
    close(out[0]);
    if (err) {
        std::rewind(err);
        ran.err += read_all(fileno(err));
        std::fclose(err);
    }
    while (!ran.out.empty() && (ran.out.back() == '\n' || ran.out.back() == '\r'))
        ran.out.pop_back();
    return ran;
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

} // namespace

bool GitSnapshot::take(const std::string& path, const std::string& revision, std::string& error) {
    std::error_code ec;
    const fs::path absolute = fs::weakly_canonical(fs::absolute(path, ec), ec);
    const fs::path dir = fs::is_directory(absolute, ec) ? absolute : absolute.parent_path();
    Ran top = run({"git", "-C", dir.string(), "rev-parse", "--show-toplevel"});
    if (top.status != 0) {
        error = fmt::format("{} is not in a git work tree ({})", path, first_line(top.err));
        return false;
    }
    Ran commit = run({"git", "-C", top.out, "rev-parse", "--verify", "--quiet", "--end-of-options",
                      revision + "^{commit}"});
    if (commit.status != 0) {
        error = fmt::format("--git-base: '{}' names no commit of {}", revision, top.out);
        return false;
    }
    relative_ = fs::relative(absolute, fs::weakly_canonical(top.out, ec), ec).generic_string();
    if (relative_.empty() || relative_.starts_with("..")) {
        error = fmt::format("{} is outside the work tree {}", path, top.out);
        return false;
    }
    label_ = fmt::format("{} ({})", revision, commit.out.substr(0, 10));
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = (fs::path(tmp && *tmp ? tmp : "/tmp") / "ztnet-base-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
        error =
            fmt::format("cannot make a temporary folder under {}", fs::path(pattern).parent_path().string());
        return false;
    }
    folder_ = pattern;
    path_ = (fs::path(folder_) / relative_).string();
    Ran listed = run({"git", "-C", top.out, "ls-tree", "--name-only", commit.out, "--", relative_});
    if (listed.status == 0 && listed.out.empty()) { // the revision does not hold it yet
        fs::create_directories(path_, ec);
        absent_ = true;
        return true;
    }
    const std::string archive = (fs::path(folder_) / ".base.tar").string();
    Ran archived =
        run({"git", "-C", top.out, "archive", "--format=tar", "-o", archive, commit.out, "--", relative_});
    if (archived.status != 0) {
        error =
            fmt::format("git archive of {} at {} failed: {}", relative_, revision, first_line(archived.err));
        return false;
    }
    Ran extracted = run({"tar", "-xf", archive, "-C", folder_});
    fs::remove(archive, ec);
    if (extracted.status != 0) {
        error = fmt::format("extracting {} at {} failed: {}", relative_, revision, first_line(extracted.err));
        return false;
    }
    return true;
}

GitSnapshot::~GitSnapshot() {
    if (folder_.empty())
        return;
    std::error_code ec;
    fs::remove_all(folder_, ec);
}

} // namespace ztnet::cli
