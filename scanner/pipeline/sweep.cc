#include "scanner/pipeline/sweep.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <system_error>

#include "scanner/base/free_list.h"
#include "scanner/base/output_file.h"
#include "scanner/base/tsan_sync.h"
#include "scanner/pipeline/finish.h"
#include "scanner/pipeline/progress.h"
#include "scanner/pipeline/read_ahead.h"
#include "scanner/record/record.h"
#include "scanner/source/byte_source.h"
#include "scanner/source/chunker.h"
#include "scanner/source/line_range.h"

namespace catscan {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double EpochNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One chunk on its way through the pipeline, and what the worker made of it.
struct WorkItem {
  Chunk chunk;
  std::string display_name;  // file name shown in the quarantine
  std::string violation_lines;
  std::string quarantine_lines;
  SweepCounts counts;
  MerchantTally merchants;
  CatalogRefs refs;
  uint64_t input_bytes_done = 0;  // across all inputs, for progress
  double parse_seconds = 0;
  double match_seconds = 0;
  Status status;
};

// Recycles WorkItems with their buffers (see FreeList).
class WorkItemPool {
 public:
  std::unique_ptr<WorkItem> Get() { return free_.Get(); }

  // Clears "item" but keeps its buffers' capacity.
  void Put(std::unique_ptr<WorkItem> item) {
    item->chunk.data.clear();
    item->chunk.skipped.clear();
    item->violation_lines.clear();
    item->quarantine_lines.clear();
    item->counts = SweepCounts();
    item->merchants = MerchantTally();
    item->refs = CatalogRefs();
    item->parse_seconds = item->match_seconds = 0;
    item->status = Status::OK();
    free_.Put(std::move(item));
  }

 private:
  FreeList<WorkItem> free_;
};

// Per-thread state of the parallel stage.
struct Worker {
  Worker(std::unique_ptr<Evaluator> e, size_t max_record_bytes)
      : evaluator(std::move(e)), parser(max_record_bytes) {}
  std::unique_ptr<Evaluator> evaluator;
  RecordParser parser;
  Record record;
  std::vector<Violation> violations;
  std::vector<Violation> references;  // the record's reference hits (clause 3.4)
};

// The quarantine reason for a record over the limit. The chunker skips some
// such lines and the worker rejects the rest; both must read the same.
std::string OversizeReason(uint64_t max_record_bytes, uint64_t bytes) {
  return "record exceeds the maximum record size of " + std::to_string(max_record_bytes) +
         " bytes (" + std::to_string(bytes) + " bytes; see --max-record-bytes)";
}

// Moves the record's reference hits out of w->violations into "refs" (they
// are judged after the scan) and notes the record's availability.
void CollectReferences(Worker* w, uint32_t input, uint64_t line, CatalogRefs* refs) {
  const Record& rec = w->record;
  refs->AddItem(rec.item_id, rec.status, rec.has(NumberField::kStock),
                rec.get(NumberField::kStock));
  std::vector<Violation>& all = w->violations;
  w->references.clear();
  auto is_ref = [](const Violation& v) { return v.is_reference(); };
  if (std::none_of(all.begin(), all.end(), is_ref)) return;
  auto split = std::stable_partition(all.begin(), all.end(), [](const Violation& v) {
    return !v.is_reference();
  });
  std::move(split, all.end(), std::back_inserter(w->references));
  all.erase(split, all.end());
  for (const Violation& v : w->references) {
    CatalogReference r;
    r.referenced_id = std::string(v.referenced_id);
    r.item_id = std::string(rec.item_id);
    r.merchant_id = std::string(rec.merchant_id);
    r.input = input;
    r.line = line;
    r.referrer_violating = !all.empty();
    r.rule = v.rule;
    r.field = static_cast<uint8_t>(v.field);
    r.start = v.start;
    r.end = v.end;
    r.text = std::string(v.text);
    r.normalized = v.normalized;
    const std::string_view field = rec.text[static_cast<int>(v.field)];
    r.before = std::string(ContextBefore(field, v.start));
    r.after = std::string(ContextAfter(field, v.end));
    refs->AddReference(std::move(r));
  }
}

// Parses and evaluates every line of item->chunk.
void ProcessChunk(const SweepOptions& opt, Worker* w, WorkItem* item) {
  const RulePack& pack = opt.pack->pack();
  Chunk& chunk = item->chunk;
  for (const SkippedLine& s : chunk.skipped) {
    ++item->counts.records_read;
    ++item->counts.records_quarantined;
    AppendQuarantineLine(&item->quarantine_lines, item->display_name, s.line,
                         OversizeReason(opt.max_record_bytes, s.bytes), s.prefix, s.bytes);
  }
  const char* const base = chunk.data.data();
  const char* const end = base + chunk.data.size();
  const char* const limit = base + chunk.data.capacity();  // padding lives here
  uint64_t line_no = chunk.first_line;
  double parse_s = 0, match_s = 0;
  const bool collect_refs = opt.pack->has_reference_rules();
  for (const char* p = base; p < end; ++line_no) {
    const char* nl = static_cast<const char*>(memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = nl ? nl : end;
    std::string_view line(p, static_cast<size_t>(line_end - p));
    p = nl ? nl + 1 : end;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.size() >= 3 && std::memcmp(line.data(), "\xEF\xBB\xBF", 3) == 0) {
      line.remove_prefix(3);  // a UTF-8 byte order mark at the start of a file
    }
    if (IsBlankLine(line)) continue;
    ++item->counts.records_read;
    std::string reason;
    // Three clock reads a record, not four: the end of the parse starts the match.
    Clock::time_point t_parsed;
    if (line.size() > opt.max_record_bytes) {
      reason = OversizeReason(opt.max_record_bytes, line.size());
    } else {
      const Clock::time_point t0 = Clock::now();
      reason = w->parser.Parse(line, static_cast<size_t>(limit - line.data()), &w->record);
      t_parsed = Clock::now();
      parse_s += std::chrono::duration<double>(t_parsed - t0).count();
    }
    if (!reason.empty()) {
      ++item->counts.records_quarantined;
      AppendQuarantineLine(&item->quarantine_lines, item->display_name, line_no, reason, line,
                           line.size());
      continue;
    }
    Status s = w->evaluator->Evaluate(w->record, &w->violations);
    match_s += SecondsSince(t_parsed);
    if (!s.ok()) {
      item->status = s;
      return;
    }
    if (collect_refs) CollectReferences(w, chunk.input_index, line_no, &item->refs);
    item->counts.AddScanned(w->violations);
    item->merchants.AddRecord(w->record.merchant_id, w->violations);
    for (const Violation& v : w->violations) {
      AppendViolationLine(&item->violation_lines, pack, w->record, v);
    }
  }
  item->parse_seconds = parse_s;
  item->match_seconds = match_s;
}

// The in-order input stage: walks the inputs and cuts them into chunks.
class Reader {
 public:
  Reader(const SweepOptions& opt, std::vector<InputReport>* reports, WorkItemPool* pool)
      : opt_(opt), reports_(reports), pool_(pool), pieces_(opt.pieces) {
    if (opt.pieces.empty()) {
      for (size_t i = 0; i < opt.inputs.size(); ++i) {
        pieces_.push_back({static_cast<uint32_t>(i), LineRange{}});
      }
    }
  }

  // Raw bytes of the inputs this reader opens (for progress).
  uint64_t total_bytes() const {
    uint64_t total = 0;
    for (const ShardPiece& p : pieces_) total += opt_.inputs[p.input].size;
    return total;
  }

  // Returns the next chunk, or nullptr at the end or on error (see status()).
  WorkItem* Next() {
    const Clock::time_point t0 = Clock::now();
    WorkItem* item = NextUntimed();
    seconds_ += SecondsSince(t0);
    return item;
  }

  const Status& status() const { return status_; }
  double seconds() const { return seconds_; }

 private:
  WorkItem* NextUntimed() {
    for (;;) {
      if (opt_.cancel && opt_.cancel->load()) {
        status_ = Status(StatusCode::kCancelled, "interrupted: the sweep was stopped by a signal");
        return nullptr;
      }
      if (!chunker_) {
        if (next_piece_ == pieces_.size()) return nullptr;
        const ShardPiece& piece = pieces_[next_piece_];
        const InputFile& in = opt_.inputs[piece.input];
        StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open(in, opt_.cancel);
        if (!src.ok()) {
          status_ = src.status();
          return nullptr;
        }
        // + 3: room to end the kept prefix on a whole UTF-8 character.
        ChunkerOptions chunking{opt_.chunk_bytes, opt_.max_record_bytes, kQuarantineRawBytes + 3};
        if (!piece.range.whole()) {
          StatusOr<std::unique_ptr<LineRangeSource>> ranged =
              LineRangeSource::Open(std::move(src.value()), piece.range);
          if (!ranged.ok()) {
            status_ = ranged.status();
            return nullptr;
          }
          chunking.first_line = ranged.value()->first_line();
          src = std::unique_ptr<ByteSource>(std::move(ranged.value()));
        }
        InputReport r;
        r.path = in.path;
        r.compressed = src.value()->compressed();
        reports_->push_back(r);
        chunker_ = std::make_unique<Chunker>(std::move(src.value()), piece.input, chunking);
        ++next_piece_;
      }
      std::unique_ptr<WorkItem> item = pool_->Get();
      StatusOr<bool> more = chunker_->Next(&item->chunk);
      InputReport& report = reports_->back();
      report.bytes = chunker_->raw_bytes_consumed();
      report.decompressed_bytes = chunker_->bytes_read();
      if (!more.ok()) {
        status_ = more.status();
        pool_->Put(std::move(item));
        return nullptr;
      }
      if (!more.value()) {
        report.lines = chunker_->lines_done();
        bytes_done_before_ += report.bytes;
        chunker_.reset();
        pool_->Put(std::move(item));
        continue;
      }
      const Chunk& c = item->chunk;
      report.lines = chunker_->lines_done();
      item->display_name = report.path == "-" ? "<stdin>" : report.path;
      item->input_bytes_done = bytes_done_before_ + c.raw_bytes_done;
      return item.release();
    }
  }

  const SweepOptions& opt_;
  std::vector<InputReport>* reports_;
  WorkItemPool* pool_;
  std::vector<ShardPiece> pieces_;
  size_t next_piece_ = 0;
  std::unique_ptr<Chunker> chunker_;
  uint64_t bytes_done_before_ = 0;
  Status status_;
  double seconds_ = 0;
};

}  // namespace

StatusOr<ScanOutcome> ScanCatalog(const SweepOptions& opt) {
  const double started = EpochNow();
  const Clock::time_point wall0 = Clock::now();
  const int threads = opt.threads > 0 ? opt.threads : tbb::info::default_concurrency();

  if (Status s = MakeDirectories(opt.out_dir); !s.ok()) return s;
  namespace fs = std::filesystem;
  ScanOutcome result;
  result.pack = opt.pack;
  result.out_dir = opt.out_dir;
  for (auto [file, name] : {std::pair{&result.violations, "violations.jsonl"},
                            std::pair{&result.quarantine, "quarantine.jsonl"}}) {
    StatusOr<std::unique_ptr<OutputFile>> f =
        OutputFile::Create((fs::path(opt.out_dir) / name).string());
    if (!f.ok()) return f.status();
    *file = std::move(f.value());
  }
  OutputFile* const violations_out = result.violations.get();
  OutputFile* const quarantine_out = result.quarantine.get();
  std::vector<InputReport> reports;
  WorkItemPool pool;
  Reader reader(opt, &reports, &pool);
  Progress progress(stderr, opt.progress, isatty(STDERR_FILENO) == 1, reader.total_bytes());

  tbb::enumerable_thread_specific<std::unique_ptr<Worker>> workers;
  Status status;  // of the workers and the collector; only the collector sets it
  SweepCounts counts;
  double parse_s = 0, match_s = 0, collect_s = 0;
  uint64_t jsonl_bytes_done = 0;
  std::atomic<bool> failed{false};

  // With several threads the input is read ahead on a thread of its own
  // (read_ahead.h); with one, or if no thread can be had, in the pipeline.
  std::unique_ptr<ReadAhead<WorkItem>> ahead;
  if (threads > 1) {
    try {
      ahead = std::make_unique<ReadAhead<WorkItem>>(
          [&reader] { return reader.Next(); },
          [&pool](WorkItem* item) { pool.Put(std::unique_ptr<WorkItem>(item)); }, 2);
    } catch (const std::system_error&) {
      // No thread to be had: "ahead" stays empty and the pipeline reads.
    }
  }

  {
    // global_control lifts TBB's cap when --threads exceeds the cores; the
    // arena holds the pipeline to exactly that many threads.
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                    static_cast<size_t>(threads));
    tbb::task_arena arena(threads);
    CATSCAN_HAPPENS_BEFORE();
    arena.execute([&] {
      tbb::parallel_pipeline(
          static_cast<size_t>(threads) * 4,
          tbb::make_filter<void, WorkItem*>(tbb::filter_mode::serial_in_order,
                                            [&](tbb::flow_control& fc) -> WorkItem* {
                                              CATSCAN_HAPPENS_AFTER();
                                              WorkItem* item =
                                                  failed.load() ? nullptr
                                                  : ahead       ? ahead->Next()
                                                                : reader.Next();
                                              if (item == nullptr) fc.stop();
                                              CATSCAN_HAPPENS_BEFORE();
                                              return item;
                                            }) &
              tbb::make_filter<WorkItem*, WorkItem*>(
                  tbb::filter_mode::parallel,
                  [&](WorkItem* item) -> WorkItem* {
                    CATSCAN_HAPPENS_AFTER();
                    std::unique_ptr<Worker>& w = workers.local();
                    if (!w) {
                      StatusOr<std::unique_ptr<Evaluator>> e =
                          Evaluator::Create(opt.pack, opt.normalize);
                      if (!e.ok()) {
                        item->status = e.status();
                        CATSCAN_HAPPENS_BEFORE();
                        return item;
                      }
                      w = std::make_unique<Worker>(std::move(e.value()), opt.max_record_bytes);
                    }
                    ProcessChunk(opt, w.get(), item);
                    CATSCAN_HAPPENS_BEFORE();
                    return item;
                  }) &
              tbb::make_filter<WorkItem*, void>(
                  tbb::filter_mode::serial_in_order, [&](WorkItem* raw) {
                    std::unique_ptr<WorkItem> item(raw);
                    CATSCAN_HAPPENS_AFTER();
                    const Clock::time_point t0 = Clock::now();
                    Status s = item->status;
                    if (s.ok() && status.ok()) s = violations_out->Append(item->violation_lines);
                    if (s.ok() && status.ok()) s = quarantine_out->Append(item->quarantine_lines);
                    if (!s.ok() && status.ok()) {
                      status = s;  // the first failure in input order wins
                      failed = true;
                    }
                    if (status.ok()) {
                      counts.Merge(item->counts);
                      result.merchants.Merge(item->merchants);
                      result.catalog_refs.Merge(std::move(item->refs));
                      parse_s += item->parse_seconds;
                      match_s += item->match_seconds;
                      jsonl_bytes_done += item->chunk.data.size();
                      progress.Update(item->input_bytes_done, jsonl_bytes_done,
                                      counts.records_read);
                    }
                    pool.Put(std::move(item));
                    collect_s += SecondsSince(t0);
                    CATSCAN_HAPPENS_BEFORE();
                  }));
    });
  }
  CATSCAN_HAPPENS_AFTER();
  if (ahead) ahead->Stop();  // the reader's state is ours again
  progress.Finish();
  for (const Status& s : {reader.status(), status}) {
    if (!s.ok()) return s;  // the OutputFiles remove their temporaries
  }

  ManifestInfo& m = result.manifest;
  m.tool_version = CATSCAN_VERSION;
  m.started_at = IsoTimeUtc(started);
  m.inputs = reports;
  m.pack = &opt.pack->pack();
  m.pattern_count = opt.pack->pattern_count();
  m.threads = threads;
  m.normalize = opt.normalize;
  m.max_record_bytes = opt.max_record_bytes;
  m.counts = counts;
  m.seconds = {reader.seconds(), parse_s, match_s, collect_s, SecondsSince(wall0)};
  return result;
}

StatusOr<SweepResult> RunSweep(const SweepOptions& options) {
  StatusOr<ScanOutcome> scanned = ScanCatalog(options);
  if (!scanned.ok()) return scanned.status();
  FinishOptions finish = options.finish;
  finish.threads = options.threads;
  return FinishSweep(std::move(scanned.value()), finish);
}

}  // namespace catscan
