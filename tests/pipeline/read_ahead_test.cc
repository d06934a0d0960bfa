#include "scanner/pipeline/read_ahead.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace catscan {
namespace {

// A producer of the numbers 0..n-1 (then nullptr) that records what it made
// and what was discarded, so no item can be lost or freed twice.
struct Numbers {
  explicit Numbers(int n) : n(n) {}
  int* Produce() {
    if (next == n) return nullptr;
    ++made;
    return new int(next++);
  }
  void Discard(int* item) {
    std::lock_guard<std::mutex> lock(mu);
    discarded.insert(*item);
    delete item;
  }
  const int n;
  int next = 0;
  int made = 0;
  std::mutex mu;
  std::set<int> discarded;
};

std::unique_ptr<ReadAhead<int>> Start(Numbers* numbers, size_t depth) {
  return std::make_unique<ReadAhead<int>>([numbers] { return numbers->Produce(); },
                                          [numbers](int* i) { numbers->Discard(i); }, depth);
}

TEST(ReadAheadTest, HandsOutEveryItemInOrderThenNull) {
  for (size_t depth : {size_t{1}, size_t{2}, size_t{7}}) {
    Numbers numbers(1000);
    auto ahead = Start(&numbers, depth);
    for (int want = 0; want < 1000; ++want) {
      std::unique_ptr<int> got(ahead->Next());
      ASSERT_NE(got, nullptr) << "depth " << depth;
      ASSERT_EQ(*got, want) << "depth " << depth;
    }
    EXPECT_EQ(ahead->Next(), nullptr);
    EXPECT_EQ(ahead->Next(), nullptr);  // and stays at the end
    ahead->Stop();
    EXPECT_TRUE(numbers.discarded.empty());
  }
}

TEST(ReadAheadTest, ProducesNoMoreThanDepthAhead) {
  Numbers numbers(100);
  auto ahead = Start(&numbers, 3);
  std::unique_ptr<int> first(ahead->Next());
  ASSERT_NE(first, nullptr);
  // Give the producer time to run ahead as far as it may.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ahead->Stop();
  // The one taken, up to 3 waiting, and at most one made while the queue
  // was full and Stop() came.
  EXPECT_LE(numbers.made, 5);
  EXPECT_GE(numbers.made, 1);
  EXPECT_EQ(static_cast<int>(numbers.discarded.size()), numbers.made - 1);
  EXPECT_EQ(numbers.discarded.count(0), 0u);
}

TEST(ReadAheadTest, StopEarlyDiscardsWhatWasNotTaken) {
  for (int taken = 0; taken < 20; ++taken) {
    Numbers numbers(50);
    {
      auto ahead = Start(&numbers, 4);
      for (int i = 0; i < taken; ++i) delete ahead->Next();
      // The destructor stops it, as the sweep does when a later stage fails.
    }
    // Every item made is either taken or discarded, exactly once.
    EXPECT_EQ(static_cast<int>(numbers.discarded.size()), numbers.made - taken) << taken;
    for (int i = 0; i < taken; ++i) EXPECT_EQ(numbers.discarded.count(i), 0u);
  }
}

TEST(ReadAheadTest, AnEmptyProducerEndsAtOnce) {
  Numbers numbers(0);
  auto ahead = Start(&numbers, 2);
  EXPECT_EQ(ahead->Next(), nullptr);
  EXPECT_EQ(numbers.made, 0);
}

}  // namespace
}  // namespace catscan
