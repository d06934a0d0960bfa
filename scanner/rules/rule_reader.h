// scanner/rules/rule_reader.h
//
// Internal to rules/: reads one rule file's `rules:` list into Rules
// (RuleFileReader) and the word lists they name (WordLists). LoadRulePack
// (rule_pack.h) drives them; the language itself is documented there.
//
// Both append problems to a diagnostics vector and keep going, so a pack's
// every problem is reported at once. Neither is thread-safe; one load owns
// them.

#ifndef CATSCAN_RULES_RULE_READER_H_
#define CATSCAN_RULES_RULE_READER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "scanner/normalize/normalizer.h"
#include "scanner/rules/rule_pack.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace catscan {

// One term of a word list, as written and where.
struct WordTerm {
  std::string text;
  int line = 0;
};

// The word lists one pack load reads, each read (and checked) once however
// many rules name it, and the normalizer their terms are normalized with.
class WordLists {
 public:
  explicit WordLists(std::vector<RuleDiagnostic>* diags) : diags_(diags) {}

  // The terms of the list at "path". Bad lines (invalid UTF-8, control or
  // private-use characters) are reported once, naming the list's file and
  // line, and left out. Returns nullptr if the file cannot be read (also
  // reported, naming "from_file":"from_line" and "rule").
  const std::vector<WordTerm>* Get(const std::string& path, const std::string& from_file,
                                   int from_line, const std::string& rule);

  // "term" as the normalizer writes it (the spelling a normalized-view rule
  // must match).
  std::string Normalize(const std::string& term);

  // Every list read, by path (for the pack hash).
  const std::map<std::string, std::vector<WordTerm>>& lists() const { return lists_; }

 private:
  std::vector<RuleDiagnostic>* diags_;
  std::map<std::string, std::vector<WordTerm>> lists_;
  std::map<std::string, bool> unreadable_;
  std::unique_ptr<Normalizer> normalizer_;  // built on first use
  NormalizedText scratch_;
};

// Reads one rule file's rules, reporting problems into "diags".
class RuleFileReader {
 public:
  RuleFileReader(std::string file, WordLists* words, std::vector<RuleDiagnostic>* diags)
      : file_(std::move(file)), words_(words), diags_(diags) {}

  void Read(const YAML::Node& root, std::vector<Rule>* rules);

 private:
  void Error(int line, const std::string& rule, const std::string& msg);
  bool Scalar(const YAML::Node& n, const std::string& rule, const char* key, std::string* out);
  bool Bool(const YAML::Node& n, const std::string& rule, const char* key, bool* out);
  void StringList(const YAML::Node& n, const std::string& rule, const char* key,
                  std::vector<std::string>* out, std::vector<int>* lines);
  bool ReadRule(const YAML::Node& node, Rule* rule);
  // Reads a `patterns:`/`exceptions:` list into "out".
  bool ReadPatternList(const YAML::Node& list, const char* key, const Rule& rule, bool caseless,
                       std::vector<RulePattern>* out);
  // Reads one entry of such a list (a string or a map).
  bool ReadPattern(const YAML::Node& p, const Rule& rule, bool caseless,
                   std::vector<RulePattern>* out);
  // Appends the terms of the word lists named by "files" as literal patterns.
  bool AddWords(const YAML::Node& files, const Rule& rule, bool caseless, const std::string& name,
                std::vector<RulePattern>* out);
  bool ReadDefine(const YAML::Node& map, Rule* rule);
  bool ReadConditions(const YAML::Node& list, const char* key, const Rule& rule,
                      std::vector<RuleCondition>* out);
  bool ReadExamples(const YAML::Node& list, const char* key, const std::string& rule,
                    std::vector<RuleExample>* out);

  std::string file_;
  WordLists* words_;
  std::vector<RuleDiagnostic>* diags_;
};

}  // namespace catscan

#endif  // CATSCAN_RULES_RULE_READER_H_
