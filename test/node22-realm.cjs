// Node 22 defines Symbol.dispose only in its main realm; jest runs each test file in a vm
// context without it, and undici (jsforce's HTTP client, hence @salesforce/core's) then
// fails every finished request with "removeAbortListener is not a function". Give the test
// realm the very symbol Node's own disposables use.
if (typeof Symbol.dispose !== 'symbol') {
  const { addAbortListener } = require('node:events');
  const disposable = addAbortListener(new AbortController().signal, () => undefined);
  const [dispose] = Object.getOwnPropertySymbols(disposable);
  if (dispose) {
    Object.defineProperty(Symbol, 'dispose', { value: dispose });
    disposable[dispose]();
  }
}

// Errors thrown by Node itself (fs ENOENT, ...) come from the main realm, so `e instanceof Error`
// is false inside a test's realm; @salesforce/core relies on it (to create a missing auth file,
// and to release its file lock when that fails). Make `Error` recognise native errors of any realm.
{
  const { types } = require('node:util');
  const realmHasInstance = Function.prototype[Symbol.hasInstance];
  Object.defineProperty(Error, Symbol.hasInstance, {
    value(x) {
      return realmHasInstance.call(this, x) || (this === Error && types.isNativeError(x));
    },
    configurable: true
  });
}

// Jest gives each test file its own copy of process.env, so a temporary HOME set there (as
// withLocalOrg does) would not reach os.homedir(), and @salesforce/core would use the real auth
// store, shared by every test running at once. Make os.homedir() follow this realm's HOME.
{
  const os = require('node:os');
  const realHomedir = os.homedir;
  os.homedir = () => process.env.HOME || realHomedir();
}
