// Prints the design document _design/field-ledger (JSON, without _rev), assembled from the
// JavaScript files next to this one. Used by scripts/couchdb-setup.sh.
//   node server/design-doc.mjs
import { readFileSync } from 'node:fs';

const dir = import.meta.dirname;
// CouchDB compiles each function from its source text, which must be one function
// expression: the explanatory comment above `function` in each file is left out.
const source = (file) => {
  const text = readFileSync(`${dir}/${file}`, 'utf8');
  const start = text.search(/^function\b/m);
  if (start < 0) throw new Error(`${file}: no line starting with "function"`);
  return text.slice(start).trim();
};

const doc = {
  _id: '_design/field-ledger',
  language: 'javascript',
  validate_doc_update: source('validate_doc_update.js'),
  views: {
    facts: { map: source('views/facts.map.js'), reduce: '_sum' },
  },
};
process.stdout.write(JSON.stringify(doc));
