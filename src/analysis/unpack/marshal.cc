#include "analysis/unpack/marshal.h"

#include <deque>
#include <unordered_set>

#include "util/byte_reader.h"

namespace pyward {
namespace {

constexpr int kMaxDepth = 200;
constexpr unsigned char kFlagRef = 0x80;

// Code object layouts of the CPython versions, told apart by trial.
enum class Layout { k311, k38, k30, k27 };

// A parsed object, reduced to what collection needs.
struct Obj {
  enum Kind { kStr, kSeq, kCode, kOther } kind = kOther;
  std::string str;                  // kStr
  std::vector<const Obj*> items;    // kSeq: elements; kCode: constants
  std::vector<const Obj*> names;    // kCode: name tuples and co_name
};

class Parser {
 public:
  Parser(std::string_view in, Layout layout) : r_(in), layout_(layout) {}

  // Throws InputError on malformed input.
  const Obj* Read(int depth) {
    if (depth > kMaxDepth) throw InputError("marshal nesting too deep");
    unsigned char code = r_.U8();
    bool flag = code & kFlagRef;
    char type = static_cast<char>(code & ~kFlagRef);
    if (type == 'r') {
      uint32_t i = r_.U32LE();
      if (i >= refs_.size()) throw InputError("marshal ref out of range");
      return refs_[i];
    }
    if (type == 'R') {  // Python 2 reference to an interned string
      uint32_t i = r_.U32LE();
      if (i >= interned_.size()) throw InputError("marshal stringref out of range");
      return interned_[i];
    }
    if (type == '0') return &null_;
    Obj* o = &arena_.emplace_back();
    if (flag) refs_.push_back(o);
    switch (type) {
      case 'N': case 'F': case 'T': case 'S': case '.':
        break;
      case 'i': r_.Skip(4); break;
      case 'I': case 'g': r_.Skip(8); break;
      case 'y': r_.Skip(16); break;
      case 'f': r_.Skip(r_.U8()); break;
      case 'x': r_.Skip(r_.U8()); r_.Skip(r_.U8()); break;
      case 'l': {
        int32_t n = static_cast<int32_t>(r_.U32LE());
        int64_t digits = n < 0 ? -static_cast<int64_t>(n) : n;
        r_.Skip(static_cast<size_t>(digits) * 2);
        break;
      }
      case 's': case 't': case 'u': case 'a': case 'A': {
        int32_t n = static_cast<int32_t>(r_.U32LE());
        if (n < 0) throw InputError("negative marshal string size");
        o->kind = Obj::kStr;
        o->str = r_.Bytes(static_cast<size_t>(n));
        if (type == 't') interned_.push_back(o);
        break;
      }
      case 'z': case 'Z':
        o->kind = Obj::kStr;
        o->str = r_.Bytes(r_.U8());
        break;
      case '(': case '[': case '<': case '>': case ')': {
        uint32_t n = type == ')' ? r_.U8() : r_.U32LE();
        if (n > r_.remaining()) throw InputError("marshal sequence too long");
        o->kind = Obj::kSeq;
        o->items.reserve(n);
        for (uint32_t i = 0; i < n; ++i) o->items.push_back(Value(depth));
        break;
      }
      case '{':
        o->kind = Obj::kSeq;
        for (;;) {
          const Obj* k = Read(depth + 1);
          if (k == &null_) break;
          o->items.push_back(k);
          o->items.push_back(Value(depth));
        }
        break;
      case 'c':
        ReadCode(o, depth);
        break;
      default:
        throw InputError("unknown marshal type code");
    }
    return o;
  }

  bool eof() const { return r_.eof(); }

 private:
  // An element: anything but the NULL that ends a dict.
  const Obj* Value(int depth) {
    const Obj* v = Read(depth + 1);
    if (v == &null_) throw InputError("unexpected marshal NULL");
    return v;
  }
  const Obj* Expect(int depth, Obj::Kind kind, const char* what) {
    const Obj* v = Value(depth);
    if (v->kind != kind) throw InputError(std::string("marshal code ") + what);
    return v;
  }

  void ReadCode(Obj* o, int depth) {
    o->kind = Obj::kCode;
    int ints = layout_ == Layout::k38 ? 6 : layout_ == Layout::k27 ? 4 : 5;
    r_.Skip(4 * ints);
    Expect(depth, Obj::kStr, "bytecode is not bytes");
    const Obj* consts = Expect(depth, Obj::kSeq, "constants are not a tuple");
    o->items = consts->items;
    o->names.push_back(Expect(depth, Obj::kSeq, "names are not a tuple"));
    o->names.push_back(Expect(depth, Obj::kSeq, "varnames are not a tuple"));
    if (layout_ == Layout::k311) {
      Expect(depth, Obj::kStr, "localspluskinds are not bytes");
    } else {
      o->names.push_back(Expect(depth, Obj::kSeq, "freevars are not a tuple"));
      o->names.push_back(Expect(depth, Obj::kSeq, "cellvars are not a tuple"));
    }
    Expect(depth, Obj::kStr, "filename is not a string");
    o->names.push_back(Expect(depth, Obj::kStr, "name is not a string"));
    if (layout_ == Layout::k311) {
      Expect(depth, Obj::kStr, "qualname is not a string");
    }
    r_.Skip(4);  // firstlineno
    Expect(depth, Obj::kStr, "line table is not bytes");
    if (layout_ == Layout::k311) {
      Expect(depth, Obj::kStr, "exception table is not bytes");
    }
  }

  ByteReader r_;
  Layout layout_;
  std::deque<Obj> arena_;
  std::vector<const Obj*> refs_;
  std::vector<const Obj*> interned_;
  Obj null_;
};

// Adds what `o` holds to *out, each object once.
class Collector {
 public:
  explicit Collector(MarshalInfo* out) : out_(out) {}
  void Collect(const Obj* o) {
    std::vector<const Obj*> stack{o};
    while (!stack.empty()) {
      const Obj* v = stack.back();
      stack.pop_back();
      if (!seen_.insert(v).second) continue;
      switch (v->kind) {
        case Obj::kStr:
          Add(v->str, &out_->strings, &strings_);
          break;
        case Obj::kCode:
          for (const Obj* n : v->names) {
            if (n->kind == Obj::kStr) Add(n->str, &out_->names, &names_);
            for (const Obj* m : n->items)
              if (m->kind == Obj::kStr) Add(m->str, &out_->names, &names_);
          }
          [[fallthrough]];
        case Obj::kSeq:
          for (auto it = v->items.rbegin(); it != v->items.rend(); ++it)
            stack.push_back(*it);
          break;
        case Obj::kOther:
          break;
      }
    }
  }

 private:
  static void Add(const std::string& s, std::vector<std::string>* list,
                  std::unordered_set<std::string>* seen) {
    if (seen->insert(s).second) list->push_back(s);
  }
  MarshalInfo* out_;
  std::unordered_set<const Obj*> seen_;
  std::unordered_set<std::string> strings_, names_;
};

}  // namespace

bool ReadMarshal(std::string_view in, MarshalInfo* out, std::string* err) {
  *out = MarshalInfo();
  if (in.empty()) {
    *err = "empty marshal data";
    return false;
  }
  std::string first_err;
  int partial = -1;  // first layout that read an object but left bytes over
  const Layout layouts[] = {Layout::k311, Layout::k38, Layout::k27,
                            Layout::k30};
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < 4; ++i) {
      if (pass == 1 && i != partial) continue;
      Parser p(in, layouts[i]);
      try {
        const Obj* top = p.Read(0);
        if (pass == 0 && !p.eof()) {
          if (partial < 0) partial = i;
          continue;
        }
        out->is_code = top->kind == Obj::kCode;
        Collector(out).Collect(top);
        return true;
      } catch (const InputError& e) {
        if (first_err.empty()) first_err = e.what();
      }
    }
    if (partial < 0) break;
  }
  *err = "bad marshal data: " + first_err;
  return false;
}

size_t PycHeaderSize(std::string_view data) {
  if (data.size() < 9 || data[2] != '\r' || data[3] != '\n') return 0;
  for (size_t off : {16, 12, 8}) {
    if (data.size() > off && (static_cast<unsigned char>(data[off]) & 0x7f) == 'c')
      return off;
  }
  return 0;
}

}  // namespace pyward
