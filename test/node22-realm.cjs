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
