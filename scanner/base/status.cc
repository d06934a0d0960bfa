#include "scanner/base/status.h"

namespace catscan {

int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInternal: return 1;
    case StatusCode::kUsage: return 2;
    case StatusCode::kInput: return 3;
    case StatusCode::kRules: return 4;
    case StatusCode::kOutput: return 5;
    case StatusCode::kCancelled: return 130;
  }
  return 1;
}

}  // namespace catscan
