// scanner/base/tsan_sync.h
//
// TBB hands work between threads inside libtbb, which Debian does not build
// with ThreadSanitizer, so TSan cannot see that ordering and would report
// every hand-off as a race. Each stage body of a tbb::parallel_pipeline
// therefore starts with CATSCAN_HAPPENS_AFTER() and ends with
// CATSCAN_HAPPENS_BEFORE() on one sync address, telling TSan what TBB
// guarantees. They compile to nothing in other builds.

#ifndef CATSCAN_BASE_TSAN_SYNC_H_
#define CATSCAN_BASE_TSAN_SYNC_H_

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>

namespace catscan {
// Never written, so taking its address reads nothing (a lambda's capture
// would itself be a read TSan cannot order).
inline char tsan_pipeline_sync;
}  // namespace catscan

#define CATSCAN_HAPPENS_BEFORE() __tsan_release(&::catscan::tsan_pipeline_sync)
#define CATSCAN_HAPPENS_AFTER() __tsan_acquire(&::catscan::tsan_pipeline_sync)
#else
#define CATSCAN_HAPPENS_BEFORE() static_cast<void>(0)
#define CATSCAN_HAPPENS_AFTER() static_cast<void>(0)
#endif

#endif  // CATSCAN_BASE_TSAN_SYNC_H_
