// `ztnet diff --git-base REV PATH`: PATH (a file or folder of a git work tree) as it is at REV,
// written to a private temporary folder for the loader, so a CI job compares a pull request with
// its base without a second checkout.
#pragma once

#include <string>

namespace ztnet::cli {

class GitSnapshot {
  public:
    /// Extracts `path` at `revision` (git archive, then tar). False, with `error` saying why, when
    /// `path` is not in a git work tree, `revision` names no commit, or git or tar fail. A path the
    /// revision does not hold (a pull request that adds it) becomes an empty folder.
    bool take(const std::string& path, const std::string& revision, std::string& error);
    ~GitSnapshot();

    /// Where `path` as of the revision now is.
    const std::string& path() const { return path_; }
    /// The temporary folder everything is under (removed with the snapshot).
    const std::string& folder() const { return folder_; }
    /// The revision as given, and the commit it names (abbreviated): "main (3f2a1c9)".
    const std::string& label() const { return label_; }
    /// Whether the revision does not hold the path (the old estate is empty).
    bool absent() const { return absent_; }
    /// The path relative to the work tree's top ("templates/spoke").
    const std::string& relative_path() const { return relative_; }

  private:
    std::string folder_;
    std::string path_;
    std::string label_;
    std::string relative_;
    bool absent_ = false;
};

} // namespace ztnet::cli
