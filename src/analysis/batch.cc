#include "analysis/batch.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "archive/zip_structure.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {

bool LooksLikeArtifact(const std::string& name) {
  for (const char* ext : {".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar",
                          ".zip", ".whl", ".egg", ".py", ".tar.zst"})
    if (EndsWithIgnoreCase(name, ext)) return true;
  return false;
}

namespace {

// Counts the members of `path` when it is a zip with encrypted entries.
std::optional<uint64_t> CollectionSize(const std::string& path) {
  std::string data, err;
  if (!ReadFile(path, uint64_t{16} << 30, &data, &err)) return std::nullopt;
  if (data.size() < 4 || data.compare(0, 4, "PK\x03\x04") != 0) return std::nullopt;
  ZipStructure zs;
  if (!ParseZipStructure(data, 10'000'000, &zs, &err)) return std::nullopt;
  uint64_t files = 0;
  bool encrypted = false;
  for (const ZipCentralEntry& e : zs.entries) {
    if (!e.name.empty() && e.name.back() == '/') continue;
    ++files;
    encrypted |= e.encrypted();
  }
  if (!encrypted) return std::nullopt;
  return files;
}

}  // namespace

std::vector<PlannedTarget> PlanTargets(const std::vector<std::string>& args,
                                       const BatchOptions& opts,
                                       std::vector<std::string>* notes) {
  std::vector<PlannedTarget> plan;
  auto add_file = [&](const std::string& path) {
    PlannedTarget t;
    t.path = path;
    if (!opts.zip_password.empty()) {
      if (auto n = CollectionSize(path)) {
        t.collection = true;
        t.count = *n;
      }
    }
    plan.push_back(std::move(t));
  };
  for (const std::string& arg : args) {
    if (GetPathKind(arg) != PathKind::kDirectory || IsSourceTree(arg)) {
      add_file(arg);
      continue;
    }
    std::vector<std::string> files;
    std::string err;
    if (!ListFilesRecursive(arg, &files, nullptr, &err)) {
      plan.push_back({arg, false, 1});  // scanning it reports the error
      continue;
    }
    std::string base = arg;
    if (!base.empty() && base.back() != '/') base += '/';
    std::vector<std::string> skipped;
    size_t before = plan.size();
    for (const std::string& rel : files) {
      if (LooksLikeArtifact(rel)) add_file(base + rel);
      else skipped.push_back(rel);
    }
    if (!skipped.empty()) {
      notes->push_back(arg + ": skipped " + std::to_string(skipped.size()) +
                       " file(s) that are not package artifacts by name (first: " +
                       skipped.front() + ")");
    }
    if (plan.size() == before)
      notes->push_back(arg + ": no package artifacts found in this folder");
  }
  return plan;
}

namespace {

struct WorkItem {
  uint64_t seq;
  std::string target;
  std::string path;   // scan from disk when bytes are not given
  std::string bytes;
  bool from_memory = false;
  std::optional<ScanResult> ready;  // a result known without scanning
};

class Pipeline {
 public:
  Pipeline(const Scanner& scanner, size_t max_pending)
      : scanner_(scanner), max_pending_(max_pending) {}

  void Produce(WorkItem item) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return queue_.size() < max_pending_; });
    queue_.push_back(std::move(item));
    ++produced_;
    work_.notify_one();
  }
  void CloseInput() {
    std::lock_guard lock(mu_);
    closed_ = true;
    work_.notify_all();
    done_cv_.notify_all();
  }

  void Worker() {
    for (;;) {
      WorkItem item;
      {
        std::unique_lock lock(mu_);
        work_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
        current_ = item.target;
        space_.notify_one();
      }
      ScanResult r;
      if (item.ready) r = std::move(*item.ready);
      else if (item.from_memory) r = scanner_.ScanBytes(item.target, item.target, item.bytes);
      else r = scanner_.ScanPath(item.path);
      {
        std::lock_guard lock(mu_);
        results_.emplace(item.seq, std::move(r));
        done_cv_.notify_all();
      }
    }
  }

  // Hands out results in order until all produced work is emitted.
  void Emit(const std::function<void(ScanResult&&)>& on_result,
            const std::function<void(const Progress&)>& on_progress, uint64_t total) {
    uint64_t next = 0;
    for (;;) {
      std::unique_lock lock(mu_);
      done_cv_.wait_for(lock, std::chrono::milliseconds(100), [&] {
        return results_.count(next) || (closed_ && next >= produced_);
      });
      while (results_.count(next)) {
        ScanResult r = std::move(results_[next]);
        results_.erase(next);
        ++next;
        lock.unlock();
        on_result(std::move(r));
        lock.lock();
      }
      if (closed_ && next >= produced_) return;
      if (on_progress) {
        Progress p{next, std::max(total, produced_), current_};
        lock.unlock();
        on_progress(p);
      }
    }
  }

 private:
  const Scanner& scanner_;
  size_t max_pending_;
  std::mutex mu_;
  std::condition_variable work_, space_, done_cv_;
  std::deque<WorkItem> queue_;
  std::map<uint64_t, ScanResult> results_;
  uint64_t produced_ = 0;
  bool closed_ = false;
  std::string current_;
};

}  // namespace

void RunBatch(const Scanner& scanner, const std::vector<PlannedTarget>& plan,
              const BatchOptions& opts,
              const std::function<void(ScanResult&&)>& on_result,
              const std::function<void(const Progress&)>& on_progress) {
  int jobs = std::max(1, opts.jobs);
  Pipeline pipe(scanner, static_cast<size_t>(jobs) * 4);
  uint64_t total = 0;
  for (const PlannedTarget& t : plan) total += t.count;

  std::thread producer([&] {
    uint64_t seq = 0;
    for (const PlannedTarget& t : plan) {
      if (!t.collection) {
        WorkItem w;
        w.seq = seq++;
        w.target = t.path;
        w.path = t.path;
        pipe.Produce(std::move(w));
        continue;
      }
      std::string data, err;
      ArchiveOptions ao = scanner.options().archive;
      ao.passphrase = opts.zip_password;
      bool ok = ReadFile(t.path, uint64_t{16} << 30, &data, &err);
      uint64_t skipped = 0;
      if (ok) {
        ok = ForEachArchiveFile(data, ao, [&](ArchiveMember& m) {
          WorkItem w;
          w.seq = seq++;
          w.target = t.path + "!" + m.path;
          w.bytes = std::move(m.data);
          w.from_memory = true;
          pipe.Produce(std::move(w));
          return true;
        }, &skipped, &err);
      }
      if (!ok) {
        WorkItem w;
        w.seq = seq++;
        w.target = t.path;
        ScanResult r;
        r.target = t.path;
        r.verdict = Verdict::kError;
        r.error = "cannot read the sample collection: " + err +
                  (err.find("assphrase") != std::string::npos ||
                           err.find("ncrypt") != std::string::npos
                       ? " (is --zip-password right?)"
                       : "");
        w.ready = std::move(r);
        pipe.Produce(std::move(w));
      }
    }
    pipe.CloseInput();
  });
  std::vector<std::thread> workers;
  for (int i = 0; i < jobs; ++i) workers.emplace_back([&] { pipe.Worker(); });
  pipe.Emit(on_result, on_progress, total);
  producer.join();
  for (std::thread& w : workers) w.join();
}

}  // namespace pyward
