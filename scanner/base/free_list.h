// scanner/base/free_list.h
//
// FreeList<T> recycles objects with their buffers between the stages of a
// pipeline. A fresh multi-megabyte buffer costs hundreds of page faults
// (glibc mmaps blocks that size and unmaps them on free); reusing the few
// objects in flight keeps the pages hot. Thread-safe. Put() hands an object
// back as it is: clearing it is the caller's choice of where to spend that
// time.

#ifndef CATSCAN_BASE_FREE_LIST_H_
#define CATSCAN_BASE_FREE_LIST_H_

#include <memory>
#include <mutex>
#include <vector>

namespace catscan {

template <typename T>
class FreeList {
 public:
  // A recycled object, or a new one if none is free.
  std::unique_ptr<T> Get() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return std::make_unique<T>();
    std::unique_ptr<T> object = std::move(free_.back());
    free_.pop_back();
    return object;
  }

  void Put(std::unique_ptr<T> object) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(object));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<T>> free_;
};

}  // namespace catscan

#endif  // CATSCAN_BASE_FREE_LIST_H_
