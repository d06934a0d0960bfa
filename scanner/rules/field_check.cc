#include "scanner/rules/field_check.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "scanner/base/json_writer.h"

namespace catscan {
namespace {

constexpr int kTextPriceField = kNumNumberFields;  // Term::field for text_price

struct Token {
  enum Kind { kNumber, kName, kOp, kStar, kEnd } kind;
  std::string text;
  size_t pos;
};

StatusOr<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      out.push_back({Token::kNumber, std::string(s.substr(i, j - i)), i});
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Token::kName, std::string(s.substr(i, j - i)), i});
      i = j;
    } else if (c == '*') {
      out.push_back({Token::kStar, "*", i++});
    } else if (c == '>' || c == '<' || c == '=' || c == '!') {
      const bool two = i + 1 < s.size() && s[i + 1] == '=';
      out.push_back({Token::kOp, std::string(s.substr(i, two ? 2 : 1)), i});
      i += two ? 2 : 1;
    } else {
      return RulesError("unexpected character '" + std::string(1, c) + "' at column " +
                        std::to_string(i + 1));
    }
  }
  out.push_back({Token::kEnd, "", s.size()});
  return out;
}

}  // namespace

StatusOr<FieldCheck> FieldCheck::Parse(std::string_view text) {
  StatusOr<std::vector<Token>> tokens_or = Tokenize(text);
  if (!tokens_or.ok()) return tokens_or.status();
  const std::vector<Token>& tok = tokens_or.value();
  FieldCheck check;
  check.source_ = std::string(text);
  size_t i = 0;
  const auto fail = [&](const std::string& what) {
    return RulesError("check \"" + std::string(text) + "\": " + what + " at column " +
                      std::to_string(tok[i].pos + 1));
  };
  const auto parse_number = [&](double* out) {
    char* end = nullptr;
    *out = std::strtod(tok[i].text.c_str(), &end);
    return end != nullptr && *end == '\0';
  };
  const auto parse_field = [&](int* out) -> Status {
    if (tok[i].text == "text_price") {
      *out = kTextPriceField;
      check.uses_text_price_ = true;
      return Status::OK();
    }
    NumberField f;
    if (!ParseNumberField(tok[i].text, &f)) return fail("unknown field \"" + tok[i].text + "\"");
    *out = static_cast<int>(f);
    if (std::find(check.fields_.begin(), check.fields_.end(), f) == check.fields_.end()) {
      check.fields_.push_back(f);
    }
    return Status::OK();
  };
  const auto parse_term = [&](Term* t) -> Status {
    if (tok[i].kind == Token::kNumber) {
      if (!parse_number(&t->factor)) return fail("bad number \"" + tok[i].text + "\"");
      ++i;
      if (tok[i].kind != Token::kStar) return Status::OK();
      ++i;
      if (tok[i].kind != Token::kName) return fail("expected a field name after '*'");
      if (Status s = parse_field(&t->field); !s.ok()) return s;
      ++i;
      return Status::OK();
    }
    if (tok[i].kind == Token::kName) {
      if (Status s = parse_field(&t->field); !s.ok()) return s;
      ++i;
      if (tok[i].kind != Token::kStar) return Status::OK();
      ++i;
      if (tok[i].kind != Token::kNumber || !parse_number(&t->factor)) {
        return fail("expected a number after '*'");
      }
      ++i;
      return Status::OK();
    }
    return fail("expected a number or a field name");
  };
  for (;;) {
    Comparison c;
    if (Status s = parse_term(&c.lhs); !s.ok()) return s;
    if (tok[i].kind != Token::kOp) return fail("expected a comparison (>=, >, <=, <, ==, !=)");
    const std::string& op = tok[i].text;
    if (op == ">=") c.op = Op::kGe;
    else if (op == ">") c.op = Op::kGt;
    else if (op == "<=") c.op = Op::kLe;
    else if (op == "<") c.op = Op::kLt;
    else if (op == "==") c.op = Op::kEq;
    else if (op == "!=") c.op = Op::kNe;
    else return fail("unknown operator \"" + op + "\"");
    ++i;
    if (Status s = parse_term(&c.rhs); !s.ok()) return s;
    if (c.lhs.field < 0 && c.rhs.field < 0) return fail("a comparison must name a field");
    check.comparisons_.push_back(c);
    if (tok[i].kind == Token::kEnd) break;
    if (tok[i].kind != Token::kName || tok[i].text != "and") return fail("expected \"and\" or the end");
    ++i;
  }
  return check;
}

bool FieldCheck::Value(const Term& t, const Record& r, double text_price, double* out) const {
  if (t.field < 0) {
    *out = t.factor;
    return true;
  }
  if (t.field == kTextPriceField) {
    if (std::isnan(text_price)) return false;
    *out = t.factor * text_price;
    return true;
  }
  const NumberField f = static_cast<NumberField>(t.field);
  if (!r.has(f)) return false;
  *out = t.factor * r.get(f);
  return true;
}

bool FieldCheck::Evaluate(const Record& r, double text_price) const {
  for (const Comparison& c : comparisons_) {
    double a, b;
    if (!Value(c.lhs, r, text_price, &a) || !Value(c.rhs, r, text_price, &b)) return false;
    bool ok = false;
    switch (c.op) {
      case Op::kGe: ok = a >= b; break;
      case Op::kGt: ok = a > b; break;
      case Op::kLe: ok = a <= b; break;
      case Op::kLt: ok = a < b; break;
      case Op::kEq: ok = a == b; break;
      case Op::kNe: ok = a != b; break;
    }
    if (!ok) return false;
  }
  return true;
}

std::string FieldCheck::DescribeValues(const Record& r, double text_price) const {
  std::string out;
  if (uses_text_price_) {
    out += "text_price=";
    if (std::isnan(text_price)) {
      out += "absent";
    } else {
      AppendJsonNumber(&out, text_price);
    }
  }
  for (NumberField f : fields_) {
    if (!out.empty()) out.push_back(' ');
    out += NumberFieldName(f);
    out.push_back('=');
    if (r.has(f)) {
      AppendJsonNumber(&out, r.get(f));
    } else {
      out += "absent";
    }
  }
  return out;
}

}  // namespace catscan
