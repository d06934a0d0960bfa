// Robustness on real third-party lists (../shared/data/third_party/, see its
// README): a pack built in a temp dir that uses them as word lists and regex
// patterns must be refused with clear per-line errors, all in one run, and
// never crash. Skipped when the directory is absent.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scanner/rules/evaluator.h"
#include "scanner/rules/rule_pack.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::ReadFile;
using test::TempDir;
using test::WriteFile;

const std::string kThirdParty =
    std::filesystem::path(CATSCAN_SOURCE_PACK_DIR).parent_path().parent_path().parent_path().string() +
    "/shared/data/third_party";

std::string Quote(const std::string& s) {
  YAML::Emitter e;
  e << YAML::DoubleQuoted << s;
  return e.c_str();
}

class ThirdPartyListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(kThirdParty)) GTEST_SKIP() << kThirdParty << " is absent";
  }
  std::string List(const std::string& name) { return kThirdParty + "/" + name; }
};

TEST_F(ThirdPartyListsTest, WordListsAndForeignRegexesGiveClearErrorsAllAtOnce) {
  TempDir dir;
  // Word lists, by absolute path (a path in `words:` is relative to the rule
  // file, or absolute).
  std::string yaml = "rules:\n";
  const auto words_rule = [&](const std::string& id, const std::string& file) {
    yaml += "  - id: " + id + "\n    category: c\n    clause: x\n    severity: minor\n" +
            "    words: " + Quote(List(file)) + "\n";
  };
  words_rule("houbb_dict", "houbb_sensitive_dict_v20240407.txt");
  words_rule("houbb_tags", "houbb_sensitive_word_tags.txt");
  words_rule("konsheng_tencent", "konsheng_lexicon_tencent.txt");
  words_rule("konsheng_ad", "konsheng_ad_spam_type.txt");
  ASSERT_TRUE(WriteFile(dir.File("words.yaml"), yaml));

  // JavaScript regexes (any-rule) and PCRE phone ranges as patterns.
  YAML::Node any_rule = YAML::LoadFile(List("anyrule_cn_regex.json"));
  ASSERT_TRUE(any_rule.IsSequence());
  std::string regex_yaml = "rules:\n  - id: any_rule\n    category: c\n    clause: x\n"
                           "    severity: minor\n    view: raw\n    patterns:\n";
  int regexes = 0;
  for (const YAML::Node& r : any_rule) {
    regex_yaml += "      - " + Quote(r["regex_source"].as<std::string>()) + "\n";
    ++regexes;
  }
  std::ifstream tsv(List("cn_mobile_phone_regex_pcre.tsv"));
  regex_yaml += "  - id: phone_ranges\n    category: c\n    clause: x\n    severity: minor\n"
                "    view: raw\n    patterns:\n";
  std::string line;
  std::getline(tsv, line);  // header
  while (std::getline(tsv, line)) {
    const size_t tab = line.rfind('\t');
    if (tab != std::string::npos) regex_yaml += "      - " + Quote(line.substr(tab + 1)) + "\n";
  }
  ASSERT_TRUE(WriteFile(dir.File("regexes.yaml"), regex_yaml));

  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().code(), StatusCode::kRules);

  int control = 0, private_use = 0, regex_errors = 0, duplicates = 0;
  for (const RuleDiagnostic& d : diags) {
    // Every problem names a file, a line and a rule.
    EXPECT_FALSE(d.file.empty()) << d.ToString();
    EXPECT_FALSE(d.rule_id.empty()) << d.ToString();
    if (d.message.find("more duplicate term") == std::string::npos) {
      EXPECT_GT(d.line, 0) << d.ToString();
    }
    if (d.message.find("control character") != std::string::npos) {
      ++control;
      EXPECT_NE(d.file.find("third_party/"), std::string::npos) << d.ToString();
      EXPECT_FALSE(d.warning);
    }
    if (d.message.find("private-use character") != std::string::npos) ++private_use;
    if (d.message.find("does not compile") != std::string::npos) {
      ++regex_errors;
      EXPECT_NE(d.file.find("regexes.yaml"), std::string::npos) << d.ToString();
      EXPECT_EQ(d.rule_id, "any_rule") << d.ToString();
    }
    if (d.warning && d.message.find("duplicate term") != std::string::npos) ++duplicates;
  }
  // The README: ~100 houbb lines with control characters, a few private-use
  // ones, ~11.5k duplicate konsheng lines, JS regexes Hyperscan rejects.
  EXPECT_GE(control, 50) << control;
  EXPECT_GE(private_use, 1);
  EXPECT_GE(regex_errors, 1);
  EXPECT_GE(duplicates, 10);
  // The line of a control-character error really holds one.
  for (const RuleDiagnostic& d : diags) {
    if (d.message.find("control character") == std::string::npos) continue;
    const std::string text = ReadFile(d.file);
    size_t pos = 0;
    for (int l = 1; l < d.line; ++l) pos = text.find('\n', pos) + 1;
    const std::string bad = text.substr(pos, text.find('\n', pos) - pos);
    bool has_control = false;
    for (unsigned char c : bad) has_control |= (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f;
    // C1 controls (U+0080-U+009F) are two bytes: 0xC2 0x80-0x9F.
    for (size_t i = 0; i + 1 < bad.size(); ++i) {
      const unsigned char b = static_cast<unsigned char>(bad[i + 1]);
      has_control |= bad[i] == '\xc2' && b >= 0x80 && b <= 0x9f;
    }
    EXPECT_TRUE(has_control) << d.ToString();
    break;
  }
}

TEST_F(ThirdPartyListsTest, CleanListsLoadAndScan) {
  // The small ad-spam list is clean text: it loads, compiles and scans.
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("r.yaml"),
                        "rules:\n  - id: ad\n    category: c\n    clause: x\n    severity: minor\n"
                        "    words: " + Quote(List("konsheng_ad_spam_type.txt")) + "\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_TRUE(pack.ok()) << pack.status().message();
  StatusOr<std::shared_ptr<const CompiledPack>> compiled =
      CompiledPack::Compile(std::move(pack.value()), &diags);
  ASSERT_TRUE(compiled.ok()) << compiled.status().message();
  StatusOr<std::unique_ptr<Evaluator>> eval = Evaluator::Create(compiled.value());
  ASSERT_TRUE(eval.ok());
  StatusOr<bool> hit = eval.value()->RuleMatchesText(0, "招聘兼职，日结");
  ASSERT_TRUE(hit.ok());
  EXPECT_TRUE(hit.value());
}

}  // namespace
}  // namespace catscan
