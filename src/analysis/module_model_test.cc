#include "analysis/module_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "python/ast.h"
#include "util/file_util.h"

namespace pyward {
namespace {

namespace fs = std::filesystem;

struct Model {
  std::string src;  // the AST holds views into it
  python::Ast ast;
  std::unique_ptr<ModuleModel> model;
};

std::unique_ptr<Model> Build(const std::string& src, CallHook hook = nullptr) {
  auto m = std::make_unique<Model>();
  m->src = src;
  python::Parse(m->src, &m->ast);
  m->model = std::make_unique<ModuleModel>(m->ast, std::move(hook));
  return m;
}

// A value as text: str as is, bytes as b'..', ints as i:N, lists as [a,b].
std::string Show(const std::optional<Value>& v) {
  if (!v) return "<none>";
  switch (v->kind) {
    case Value::kStr: return v->data;
    case Value::kBytes: return "b'" + v->data + "'";
    case Value::kInt: return "i:" + std::to_string(v->i);
    case Value::kList: {
      std::string s = "[";
      for (size_t i = 0; i < v->items.size(); ++i) s += (i ? "," : "") + Show(v->items[i]);
      return s + "]";
    }
  }
  return "?";
}

// The callee of the first call on the last line that has calls.
void ExpectCallee(const std::string& src, const std::string& want) {
  auto m = Build(src);
  const auto& calls = m->model->calls();
  ASSERT_FALSE(calls.empty()) << src;
  int last = calls.back().line;
  for (const CallRecord& c : calls)
    if (c.line == last) {
      EXPECT_EQ(c.callee, want) << src;
      return;
    }
}

// The value the module-level name `x` has at the end of `src`.
void ExpectFold(const std::string& src, const std::string& want, CallHook hook = nullptr) {
  auto m = Build(src, std::move(hook));
  EXPECT_EQ(Show(m->model->FoldGlobal("x")), want) << src;
}

// Positional argument `i` of the first call to `callee`.
void ExpectArg(const std::string& src, const std::string& callee, size_t i,
               const std::string& want, CallHook hook = nullptr) {
  auto m = Build(src, std::move(hook));
  for (const CallRecord& c : m->model->calls())
    if (c.callee == callee) {
      ASSERT_LT(i, c.args.size()) << src;
      EXPECT_EQ(Show(c.args[i]), want) << src;
      return;
    }
  ADD_FAILURE() << "no call to " << callee << " in " << src;
}

TEST(ModuleModel, ImportsAndAliases) {
  ExpectCallee("import os\nos.system('x')", "os.system");
  ExpectCallee("import os as o\no.system('x')", "os.system");
  ExpectCallee("import os.path\nos.path.join('a')", "os.path.join");
  ExpectCallee("import os.path as p\np.join('a')", "os.path.join");
  ExpectCallee("from subprocess import Popen as P\nP(['ls'])", "subprocess.Popen");
  ExpectCallee("from subprocess import Popen\nPopen(['ls'])", "subprocess.Popen");
  ExpectCallee("from . import util\nutil.run()", ".util.run");
  ExpectCallee("from ..pkg import m\nm.f()", "..pkg.m.f");
  ExpectCallee("helper()", "helper");
  ExpectCallee("from os import *\nsystem('x')", "os.system");
  ExpectCallee("from os import *\nexec('x')", "builtins.exec");
  ExpectCallee("from os import *\ndef system(c):\n    pass\nsystem('x')", "system");
}

TEST(ModuleModel, Builtins) {
  ExpectCallee("exec('x')", "builtins.exec");
  ExpectCallee("eval(x)", "builtins.eval");
  ExpectCallee("__import__(x)", "builtins.__import__");
  ExpectCallee("import builtins\nbuiltins.exec('x')", "builtins.exec");
  ExpectCallee("__builtins__.exec('x')", "builtins.exec");
  ExpectCallee("getattr(__builtins__, 'exec')('x')", "builtins.exec");
  ExpectCallee("getattr(__builtins__, 'ex' + 'ec')('x')", "builtins.exec");
  ExpectCallee("globals()['eval']('x')", "builtins.eval");
  ExpectCallee("vars(__builtins__)['exec']('x')", "builtins.exec");
  ExpectCallee("__builtins__.__dict__['exec']('x')", "builtins.exec");
  ExpectCallee("__builtins__['exec']('x')", "builtins.exec");
  ExpectCallee("globals()['__builtins__']['ex' 'ec']('x')", "builtins.exec");
  ExpectCallee("locals()['eval']('x')", "builtins.eval");
  ExpectCallee("import builtins\nbuiltins.__dict__['ev'+'al']('x')", "builtins.eval");
}

TEST(ModuleModel, ShadowedBuiltinsAreNotBuiltins) {
  ExpectCallee("def exec(s):\n    pass\nexec('x')", "exec");
  ExpectCallee("exec = print\nexec('x')", "builtins.print");
  ExpectCallee("from mylib import exec\nexec('x')", "mylib.exec");
  ExpectCallee("def f(eval):\n    eval('x')", "");
  ExpectCallee("for exec in fs:\n    exec('x')", "");
}

TEST(ModuleModel, DynamicImports) {
  ExpectCallee("__import__('os').system('x')", "os.system");
  ExpectCallee("__import__('o'+'s').system('x')", "os.system");
  ExpectCallee("__import__('os.path').path.join('x')", "os.path.join");
  ExpectCallee("import importlib\nimportlib.import_module('o'+'s').system('x')", "os.system");
  ExpectCallee("import importlib\nm = importlib.import_module('sub' + 'process')\nm.Popen('x')",
               "subprocess.Popen");
  ExpectCallee("import os\ngetattr(os, 'sys'+'tem')('x')", "os.system");
  ExpectCallee("mod = __import__('os')\ngetattr(mod, 'sys'+'tem')('x')", "os.system");
  ExpectCallee("import sys\nsys.modules['os'].system('x')", "os.system");
  auto m = Build("import json\nfrom a.b import c\n__import__('o'+'s')\n"
                 "import importlib\nimportlib.import_module('sock' + 'et')\n");
  EXPECT_EQ(m->model->imports(),
            (std::vector<std::string>{"json", "a.b", "importlib", "os", "socket"}));
}

TEST(ModuleModel, Python2ExecStatement) {
  ExpectArg("exec 'import ' + 'os' in ns\n", "builtins.exec", 0, "import os");
  ExpectArg("exec 'x = 1'\n", "builtins.exec", 0, "x = 1");
}

TEST(ModuleModel, LocalAliases) {
  ExpectCallee("e = eval\ne('x')", "builtins.eval");
  ExpectCallee("import os\ns = os.system\ns('x')", "os.system");
  ExpectCallee("import os\ns = getattr(os, 'system')\nt = s\nt('x')", "os.system");
  ExpectCallee("import os\na, b = os.system, os.popen\nb('x')", "os.popen");
  ExpectCallee("import os\nwith open('f') as fh:\n    fh.read()", "builtins.open().read");
}

TEST(ModuleModel, ObjectInstances) {
  ExpectCallee("import socket\nx = socket.socket()\nx.connect(('h', 1))",
               "socket.socket().connect");
  ExpectCallee("import requests\nrequests.Session().post('u')", "requests.Session().post");
  ExpectCallee("import requests\ns = requests.Session()\ns.get('u')", "requests.Session().get");
  ExpectCallee("from cryptography.fernet import Fernet\nf = Fernet(key)\nf.decrypt(t)",
               "cryptography.fernet.Fernet().decrypt");
  ExpectCallee("import urllib.request\nurllib.request.urlopen('u').read()",
               "urllib.request.urlopen().read");
  auto m = Build("from cryptography.fernet import Fernet\nf = Fernet(b'k')\nf.decrypt(b't')\n");
  const CallRecord& c = m->model->calls().back();
  ASSERT_EQ(c.callee, "cryptography.fernet.Fernet().decrypt");
  ASSERT_EQ(c.args.size(), 2u);
  EXPECT_EQ(c.receiver_args, 1u);
  EXPECT_EQ(Show(c.args[0]), "b'k'");
  EXPECT_EQ(Show(c.args[1]), "b't'");
}

TEST(ModuleModel, Scopes) {
  // A local assignment shadows the module-level name inside the function only.
  std::string src =
      "import os\nrun = os.system\n"
      "def f():\n    run = print\n    run('a')\n"
      "def g():\n    run('b')\n";
  auto m = Build(src);
  ASSERT_EQ(m->model->calls().size(), 2u);
  EXPECT_EQ(m->model->calls()[0].callee, "builtins.print");
  EXPECT_EQ(m->model->calls()[1].callee, "os.system");
  // Function bodies see module names as they end up (the import comes later).
  ExpectCallee("def f():\n    os.system('x')\nimport os", "os.system");
  // Module-level code sees names in order.
  auto n = Build("x = eval\nx('1')\nx = print\nx('2')\n");
  EXPECT_EQ(n->model->calls()[0].callee, "builtins.eval");
  EXPECT_EQ(n->model->calls()[1].callee, "builtins.print");
  // `global` sends lookups to the module.
  ExpectCallee("import os\nr = os.system\ndef f():\n    global r\n    r('x')", "os.system");
  // Class bodies are not visible from methods.
  ExpectCallee("import os\nclass C:\n    s = print\n    def m(self):\n        s('x')", "s");
  // Comprehension variables are local to the comprehension.
  ExpectCallee("import os\nc = os.system\n[c(x) for c in fs]\n", "");
}

TEST(ModuleModel, CallContexts) {
  auto m = Build(
      "import os\nos.getcwd()\n"
      "def top():\n    def inner():\n        os.a()\n    inner()\n"
      "class C(install):\n    def run(self):\n        os.b()\n"
      "import sys\nif sys.argv[1] == 'publish':\n    os.c()\n"
      "t = lambda: os.d()\n");
  const auto& calls = m->model->calls();
  ASSERT_EQ(calls.size(), 6u);
  EXPECT_FALSE(calls[0].ctx().in_def);
  EXPECT_EQ(calls[1].callee, "os.a");
  EXPECT_TRUE(calls[1].ctx().in_def);
  EXPECT_EQ(calls[1].ctx().function, "inner");
  EXPECT_EQ(calls[1].ctx().top_def, "top");
  EXPECT_EQ(calls[2].callee, "inner");
  EXPECT_EQ(calls[3].callee, "os.b");
  EXPECT_TRUE(calls[3].ctx().command);
  EXPECT_EQ(calls[3].ctx().classes, std::vector<std::string>{"C"});
  EXPECT_EQ(calls[4].callee, "os.c");
  EXPECT_TRUE(calls[4].ctx().guarded_other_command);
  EXPECT_EQ(calls[5].callee, "os.d");
  EXPECT_TRUE(calls[5].ctx().in_def);
  EXPECT_TRUE(calls[5].ctx().lambda_only);
  auto r = Build("setup(cmdclass={'install': A, 'upload': B})\nsetup(cmdclass=dict(develop=C))\n"
                 "d = {}\nd['egg_info'] = D\n");
  EXPECT_EQ(r->model->registered_commands(), (std::set<std::string>{"A", "C", "D"}));
}

TEST(ModuleModel, FoldsConcatenationAndFormatting) {
  ExpectFold("x = 'o'+'s'", "os");
  ExpectFold("x = b'o' + b's'", "b'os'");
  ExpectFold("a = 'ev'\nb = 'al'\nx = a + b", "eval");
  ExpectFold("x = 'ab' * 3", "ababab");
  ExpectFold("x = 3 * [1]", "[i:1,i:1,i:1]");
  ExpectFold("x = '%s.%s' % ('os', 'system')", "os.system");
  ExpectFold("x = '%d-%05d-%x-%c' % (7, 42, 255, 65)", "7-00042-ff-A");
  ExpectFold("x = '{}.{}'.format('os', 'system')", "os.system");
  ExpectFold("x = '{1}{0}{n}'.format('b', 'a', n='c')", "abc");
  ExpectFold("x = '{:>4}|{:02x}'.format('a', 10)", "   a|0a");
  ExpectFold("h = 'evil'\nx = f'http://{h}.example/{1+2}'", "http://evil.example/3");
  ExpectFold("x = f'{65:c}{\"b\"!s}'", "Ab");
  ExpectFold("x = 'a'\nx += 'b'\nx += 'c'", "abc");
  ExpectFold("x = 'ab'" + std::string(2000, ' ').substr(0, 0) + " + 'c' + 'd' + 'e' + 'f'",
             "abcdef");
}

TEST(ModuleModel, FoldsJoinsOverCharacterArithmetic) {
  ExpectFold("x = ''.join(['o', 's'])", "os");
  ExpectFold("x = '.'.join(('os', 'system'))", "os.system");
  ExpectFold("x = ''.join(chr(c) for c in [111, 115])", "os");
  ExpectFold("x = ''.join(map(chr, [111, 115]))", "os");
  ExpectFold("x = ''.join([chr(c ^ 5) for c in [106, 118]])", "os");
  ExpectFold("x = ''.join(chr(ord(c) - 1) for c in 'pt')", "os");
  ExpectFold("x = ''.join(map(lambda c: chr(c + 1), [110, 114]))", "os");
  ExpectFold("x = ''.join(chr(i) for i in range(97, 100))", "abc");
  ExpectFold("x = ''.join(reversed('so'))", "os");
  ExpectFold("k = 7\nx = ''.join([chr(c ^ k) for c in b'ht'])", "os");
  ExpectFold("x = chr(0x6f) + chr(ord('r') + 1)", "os");
}

TEST(ModuleModel, FoldsCallsOfLambdasAndOneLineHelpers) {
  ExpectFold("f = lambda s: s[::-1]\nx = f('so')", "os");
  ExpectFold("_ = lambda a, b: a + b\nx = (_)('o', 's')", "os");
  ExpectFold("def rev(s):\n    'doc'\n    return s[::-1]\nx = rev('so')", "os");
  ExpectFold("def two(s):\n    t = s\n    return t[::-1]\nx = two('so')", "os");
  ExpectFold("def loop(s):\n    return loop(s)\nx = loop('a')", "<none>");
  ExpectFold("f = lambda s, k=1: s\nx = f('a')", "<none>");
}

TEST(ModuleModel, FoldsSmallMultiStatementHelpers) {
  // Locals, loops, augmented assignment, if/else, append, while with break.
  ExpectFold("def dec(s, k):\n    out = ''\n    for c in s:\n        out += chr(ord(c) ^ k)\n"
             "    return out\nx = dec('nr', 1)", "os");
  ExpectFold("def dec(s):\n    r = []\n    for c in s:\n        if c == '-':\n"
             "            continue\n        r.append(c)\n    return ''.join(r)\nx = dec('o-s')",
             "os");
  ExpectFold("def f(s):\n    i = 0\n    while True:\n        i += 1\n        if i > 2:\n"
             "            break\n    return s * i\nx = f('o')", "ooo");
  ExpectFold("def f(s):\n    import base64\n    a, b = s\n    return b + a\nx = f('so')", "os");
  // A method called through its instance's first parameter.
  ExpectArg("import os\nclass C:\n    def rev(self, s):\n        t = s[::-1]\n        return t\n"
            "    def run(self):\n        os.system(self.rev('di'))\n",
            "os.system", 0, "id");
  // Lambdas bound in the helper's body (decoders as locals).
  CallHook hook = [](std::string_view callee, std::span<const Value> args,
                     std::span<const std::pair<std::string, Value>>, Value* out) {
    if (callee != "dec.rev" || args.size() != 1 || args[0].kind != Value::kBytes) return false;
    *out = Value::Bytes(std::string(args[0].data.rbegin(), args[0].data.rend()));
    out->chain.push_back("rev");
    return true;
  };
  ExpectArg("import os, dec\nclass C:\n    def d(self, s):\n        r = lambda v: dec.rev(v)\n"
            "        return r(s).decode()\n    def go(self):\n        os.system(self.d(b'di'))\n",
            "os.system", 0, "id", hook);
  // Side effects, unknown statements, unbounded loops and big bodies do not fold.
  ExpectFold("def f(s):\n    print(s)\n    return s\nx = f('a')", "<none>");
  ExpectFold("def f(s):\n    with open(s) as h:\n        pass\n    return s\nx = f('a')", "<none>");
  ExpectFold("def f(s):\n    while True:\n        s += 'a'\n    return s\nx = f('a')", "<none>");
  ExpectFold("def f(s):\n    for i in range(10**9):\n        s = s\n    return s\nx = f('a')", "<none>");
  std::string big = "def f(s):\n";
  for (int i = 0; i < 60; ++i) big += "    s = s\n";
  ExpectFold(big + "    return s\nx = f('a')", "<none>");
  // A static method takes no instance.
  ExpectArg("import os\nclass C:\n    @staticmethod\n    def rev(s):\n        t = s[::-1]\n"
            "        return t\n    def run(self):\n        os.system(self.rev('di'))\n",
            "os.system", 0, "<none>");
}

TEST(ModuleModel, CodeALoopBuildsForExecInADefFolds) {
  // exec's argument, built by the def's statements before it (runtime code
  // nothing calls): folded where it stands, tagged as a decode step.
  std::string src =
      "def check():\n    d = '^A'\n    k = '12'\n    s = ''\n    for i in range(len(d)):\n"
      "        s += chr(ord(d[i]) ^ ord(k[i % 2]))\n    exec(s)\n";
  ExpectArg(src, "builtins.exec", 0, "os");
  auto m = Build(src);
  ASSERT_TRUE(m->model->calls().back().args[0]);
  EXPECT_EQ(m->model->calls().back().args[0]->chain, std::vector<std::string>{"loop"});
  // Not for defs with parameters, nor for calls other than exec/eval/compile.
  ExpectArg("def f(p):\n    s = ''\n    for c in 'os':\n        s += c\n    exec(s)\n",
            "builtins.exec", 0, "<none>");
  ExpectArg("import os\ndef f():\n    s = ''\n    for c in 'id':\n        s += c\n    os.system(s)\n",
            "os.system", 0, "<none>");
  // A pause or a print before the loop changes no local: still folded.
  for (const char* pause : {"time.sleep(3)", "print('x')"})
    ExpectArg(std::string("import time\ndef f():\n    ") + pause +
                  "\n    s = ''\n    for c in 'os':\n        s += c\n    exec(s)\n",
              "builtins.exec", 0, "os");
  // Any other call there may change what the loop reads: no fold.
  ExpectArg("import random\ndef f():\n    random.shuffle(k)\n    s = ''\n"
            "    for c in 'os':\n        s += c\n    exec(s)\n",
            "builtins.exec", 0, "<none>");
}

TEST(ModuleModel, FoldsComparisonsInsideComprehensions) {
  ExpectFold("x = ''.join(c for c in 'oxsx' if c != 'x')", "os");
  ExpectFold("k = 'ab'\nv = 'os'\nx = ''.join([v[k.index(c)] if c in k else c for c in 'ab-'])",
             "os-");
  ExpectFold("x = 1 < 2 <= 2", "i:1");
  ExpectFold("x = 'a' in ['b']", "i:0");
}

TEST(ModuleModel, FoldsSlicesAndMethods) {
  ExpectFold("x = 'so'[::-1]", "os");
  ExpectFold("x = 'metsys.so'[::-1]", "os.system");
  ExpectFold("x = 'xxosxx'[2:4]", "os");
  ExpectFold("x = 'abcdef'[-2:]", "ef");
  ExpectFold("x = 'abcdef'[::2]", "ace");
  ExpectFold("x = 'héllo'[1]", "é");
  ExpectFold("x = 'héllo'[::-1]", "olléh");
  ExpectFold("x = b'abc'[0]", "i:97");
  ExpectFold("x = bytes.fromhex('6f73')", "b'os'");
  ExpectFold("x = bytes.fromhex('6f 73').decode()", "os");
  ExpectFold("x = bytes([111, 115])", "b'os'");
  ExpectFold("x = bytearray([111, 115]).decode('latin-1')", "os");
  ExpectFold("x = 'os'.encode()", "b'os'");
  ExpectFold("x = 'é'.encode('latin-1')", "b'\xe9'");
  ExpectFold("x = b'\\xe9'.decode('latin-1')", "é");
  ExpectFold("x = b'\\xff'.decode('utf-8')", "<none>");
  ExpectFold("x = b'o\\x00s\\x00'.decode('utf-16le')", "os");
  ExpectFold("x = 'oXs'.replace('X', '')", "os");
  ExpectFold("x = '  os \\n'.strip()", "os");
  ExpectFold("x = '--os'.lstrip('-')", "os");
  ExpectFold("x = 'OS'.lower() + 's'.upper()", "osS");
  ExpectFold("import codecs\nx = codecs.decode('bf', 'rot13')", "os");
  ExpectFold("x = 'a,b'.split(',')", "[a,b]");
  ExpectFold("x = str(12) + hex(255)", "120xff");
  ExpectFold("x = int('7f', 16) + len('abc')", "i:130");
  ExpectFold("import string\nx = string.ascii_lowercase[14] + string.ascii_lowercase[18]", "os");
}

TEST(ModuleModel, VariablesFoldWhereTheyAreUsed) {
  ExpectFold("x = 'a'\ny = x + 'b'\nx = y + 'c'", "abc");
  ExpectArg("import os\ncmd = 'i' + 'd'\nos.system(cmd)\ncmd = 'ls'\n", "os.system", 0, "id");
  ExpectArg("import os\ndef f():\n    c = 'who' + 'ami'\n    os.system(c)\n", "os.system", 0,
            "whoami");
  ExpectArg("import os\nC = 'u' + 'name'\ndef f():\n    os.system(C)\n", "os.system", 0, "uname");
  // Loops rebind: no fold.
  ExpectFold("x = ''\nfor c in 'ab':\n    x += c", "<none>");
  ExpectFold("for i in range(3):\n    x = 'a'", "<none>");
  ExpectArg("import os\nos.system(unknown + 'x')\n", "os.system", 0, "<none>");
  // A parameter folds to its string default; one without a default does not.
  ExpectArg("import os\ndef f(c='id'):\n    os.system(c)\n", "os.system", 0, "id");
  ExpectArg("import os\ndef f(c, d=1):\n    os.system(c)\n", "os.system", 0, "<none>");
  // Letters picked out of the text of builtins.
  ExpectArg("import os\nos.system(getattr(__builtins__, oct.__str__()[-3 << 0] + hex.__str__()[-4] + "
            "copyright.__str__()[4 << 0])(105))\n", "os.system", 0, "i");
  ExpectFold("x = str(-3 << 1)", "-6");
}

TEST(ModuleModel, HookDecodesWhatTheFolderDoesNot) {
  // A fake decoder: "dec.rev" reverses bytes, "x.Box().open" drops its key prefix.
  CallHook hook = [](std::string_view callee, std::span<const Value> args,
                     std::span<const std::pair<std::string, Value>>, Value* out) {
    if (callee == "dec.rev" && args.size() == 1 && args[0].kind == Value::kBytes) {
      *out = Value::Bytes(std::string(args[0].data.rbegin(), args[0].data.rend()));
      out->chain.push_back("rev");
      return true;
    }
    if (callee == "x.Box().open" && args.size() == 2) {
      *out = Value::Bytes(args[0].data + ":" + args[1].data);
      out->chain.push_back("box");
      return true;
    }
    return false;
  };
  ExpectArg("import dec\nexec(dec.rev(b'so tropmi'))", "builtins.exec", 0, "b'import os'", hook);
  ExpectArg("import dec\nexec(dec.rev(dec.rev(b'ab')).decode() + 'c')", "builtins.exec", 0, "abc",
            hook);
  ExpectArg("from x import Box\nb = Box(b'k')\nexec(b.open(b'p'))", "builtins.exec", 0, "b'k:p'",
            hook);
  ExpectArg("import dec\nexec(dec.other(b'x'))", "builtins.exec", 0, "<none>", hook);
  ExpectArg("import dec\nexec(compile(dec.rev(b'x'), '<s>', 'exec'))", "builtins.exec", 0, "b'x'",
            hook);
  auto m = Build("import dec\nexec(dec.rev(dec.rev(b'ab')))", hook);
  const CallRecord& c = m->model->calls()[0];
  ASSERT_TRUE(c.args[0]);
  EXPECT_EQ(c.args[0]->chain, std::vector<std::string>{"rev"});
  auto n = Build("from x import Box\nexec(Box(b'k').open(b'p').decode())", hook);
  ASSERT_TRUE(n->model->calls()[0].args[0]);
  EXPECT_EQ(n->model->calls()[0].args[0]->chain, std::vector<std::string>{"box"});
}

TEST(ModuleModel, LooseStrings) {
  // Every literal long enough that no decode consumed, in source order; a
  // literal merely passed to a call is still loose.
  auto m = Build("import os\n'''A module docstring long enough'''\n"
                 "k = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVg=='\n"
                 "os.system('echo passed on to a process here')\n"
                 "short = 'ab'\n");
  const auto& loose = m->model->loose_strings();
  ASSERT_EQ(loose.size(), 3u);
  EXPECT_EQ(loose[0].line, 2);
  EXPECT_TRUE(loose[0].statement);
  EXPECT_EQ(loose[1].line, 3);
  EXPECT_FALSE(loose[1].statement);
  EXPECT_EQ(loose[2].line, 4);
  // A literal a decode consumed is not loose.
  CallHook hook = [](std::string_view callee, std::span<const Value> args,
                     std::span<const std::pair<std::string, Value>>, Value* out) {
    if (callee != "base64.b64decode" || args.empty()) return false;
    *out = Value::Bytes("ABCDEFGHIJKLMNOPQRSTUV");
    out->chain.push_back("base64");
    return true;
  };
  auto n = Build("import base64\nk = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVg=='\nexec(base64.b64decode(k))\n",
                 hook);
  EXPECT_TRUE(n->model->loose_strings().empty());
}

TEST(ModuleModel, HostileInputStaysBounded) {
  // Doubling 40 times: capped, not exponential.
  std::string src = "x0 = 'ab'\n";
  for (int i = 1; i <= 40; ++i)
    src += "x" + std::to_string(i) + " = x" + std::to_string(i - 1) + " + x" +
           std::to_string(i - 1) + "\n";
  src += "exec(x40)\nexec(x40)\n";
  auto m = Build(src);
  ASSERT_EQ(m->model->calls().size(), 2u);
  EXPECT_FALSE(m->model->calls()[0].args[0]);
  EXPECT_TRUE(m->model->budget_exhausted());
  EXPECT_FALSE(Build("x = 'a' * 1000\nexec(x)\n")->model->budget_exhausted());
  // Repetition past the cap.
  ExpectFold("x = 'a' * 10**12", "<none>");
  // A long left-deep chain of concatenations folds without deep recursion.
  std::string chain = "x = 'a'";
  for (int i = 0; i < 100000; ++i) chain += "+'a'";
  auto c = Build(chain + "\n");
  auto v = c->model->FoldGlobal("x");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->data.size(), 100001u);
  // Long attribute and call chains, self-reference, huge ranges.
  Build("a" + std::string(200000, '.').replace(0, 0, "") + "\n");
  std::string attrs = "x = a";
  for (int i = 0; i < 100000; ++i) attrs += ".b";
  Build(attrs + "\nx()\n");
  std::string calls = "f";
  for (int i = 0; i < 50000; ++i) calls += "()";
  Build(calls + "\n");
  ExpectFold("x = x + 'a'", "<none>");
  ExpectFold("x = ''.join(chr(65) for i in range(10**9))", "<none>");
  ExpectFold("x = (y := y + 'a')", "<none>");
  // Helpers that call themselves twice per call: the statement budget stops them.
  ExpectFold("def f(s, n):\n    if n == 0:\n        return s\n    a = f(s, n - 1)\n"
             "    b = f(s, n - 1)\n    return a + b\nx = f('a', 60)", "<none>");
  ExpectFold("def f(s):\n    a = g(s)\n    return a\ndef g(s):\n    b = f(s)\n    return b\n"
             "x = f('a')", "<none>");
  // Names rebound many times and used in between stay fast (binary search).
  std::string rebind = "import os\n";
  for (int i = 0; i < 20000; ++i) rebind += "c = 'x'\nos.system(c)\n";
  auto r = Build(rebind);
  EXPECT_EQ(r->model->calls().size(), 20000u);
}

TEST(ModuleModel, StandardLibraryNeverCrashes) {
  std::string dir = "/usr/lib/python3.11";
  if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir;
  std::vector<std::string> rel, links;
  std::string err;
  ASSERT_TRUE(ListFilesRecursive(dir, &rel, &links, &err)) << err;
  std::sort(rel.begin(), rel.end());
  size_t done = 0, calls = 0, qualified = 0;
  for (size_t i = 0; i < rel.size() && done < 300; i += 3) {
    const std::string& r = rel[i];
    if (r.size() < 3 || r.compare(r.size() - 3, 3, ".py") != 0) continue;
    if (r.find("site-packages/") != std::string::npos) continue;
    std::string src;
    if (!ReadFile(dir + "/" + r, 8 << 20, &src, &err)) continue;
    auto m = Build(src);
    ++done;
    for (const CallRecord& c : m->model->calls()) {
      ++calls;
      qualified += c.callee.find('.') != std::string::npos;
    }
  }
  EXPECT_GT(done, 100u);
  EXPECT_GT(qualified, calls / 4) << "most stdlib calls are attribute calls";
}

}  // namespace
}  // namespace pyward
