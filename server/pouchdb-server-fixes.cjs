// Preloaded into pouchdb-server 4.2.0 by the end-to-end tests (node -r this-file ...), to
// fix two places where it departs from CouchDB 3 when a validate_doc_update is installed:
//
// 1. pouchdb-validation overwrites the incoming document's `_revisions` with those of the
//    document stored so far before it validates (`newDoc._revisions = (oldDoc ||
//    {})._revisions`). With `_bulk_docs` and `new_edits: false` (replication) that loses
//    the pushed revision's ancestry: a new revision of a stored document is silently
//    dropped (the response is still `[]`, success), and a new document is stored without
//    its history. Here the incoming `_revisions` are kept, as CouchDB does.
// 2. pouchdb-bulkdocs-wrapper answers `_bulk_docs` with the refused documents first and
//    the rest after, not in the order of the request as CouchDB does. Here the order of
//    the request is kept (with new_edits: false only the errors are listed, as in CouchDB).
// 3. PUT /{db} by anyone but a server admin crashes the server ("db.info is not a
//    function": the security layer returns a rejected promise where a database was
//    expected). Here it answers the refusal instead (401 unauthorized), as CouchDB does.
// 4. POST /{db}/_changes?filter=_selector takes its Mango selector from the body, as
//    CouchDB does; express-pouchdb reads only doc_ids from a body, so the filter was
//    ignored and every change listed.
//
// Nothing else changes. Each patch checks that the text it replaces is there, and stops
// the server otherwise (another version of the package).
'use strict';
const Module = require('node:module');

const PATCHES = [
  {
    file: /[\\/]pouchdb-validation[\\/]lib[\\/]index\.js$/,
    apply: (source) => {
      const line = 'newDoc._revisions = (oldDoc || {})._revisions;';
      if (!source.includes(line)) throw new Error('pouchdb-validation: the line to patch is not there');
      return source.replace(line, '/* field-ledger: incoming _revisions kept */');
    },
  },
  {
    file: /[\\/]pouchdb-bulkdocs-wrapper[\\/]lib[\\/]index\.js$/,
    apply: (source) => {
      if (!source.includes('function bulkDocsWrapper(handler, bulkDocs, args)')) {
        throw new Error('pouchdb-bulkdocs-wrapper: the function to replace is not there');
      }
      return `"use strict";
var Promise = require("pouchdb-promise");
module.exports = function createBulkDocsWrapper(handler) {
  return bulkDocsWrapper.bind(null, handler);
};
// field-ledger: answers in the order of the request.
function bulkDocsWrapper(handler, bulkDocs, args) {
  var docs = args.docs;
  var refused = new Array(docs.length);
  var passed = [];
  return Promise.all(docs.map(function (doc, i) {
    return handler(doc, args).then(function () {
      passed.push(i);
    }, function (err) {
      err.id = doc._id;
      refused[i] = err;
    });
  })).then(function () {
    passed.sort(function (a, b) { return a - b; });
    args.docs = passed.map(function (i) { return docs[i]; });
    return bulkDocs();
  }).then(function (responses) {
    if (responses.length !== passed.length) {
      // new_edits: false lists only the errors.
      return refused.filter(Boolean).concat(responses);
    }
    var all = refused.slice();
    passed.forEach(function (i, k) { all[i] = responses[k]; });
    return all;
  });
}
`;
    },
  },
  {
    file: /[\\/]express-pouchdb[\\/]lib[\\/]routes[\\/]db\.js$/,
    apply: (source) => {
      const line = 'var db = req.PouchDB.new(name, utils.makeOpts(req));';
      if (!source.includes(line)) throw new Error('express-pouchdb: the line to patch is not there');
      return source.replace(line, `${line}
      if (typeof db.info !== 'function') { // field-ledger: refused, not a database
        return Promise.resolve(db).then(function () {
          utils.sendJSON(res, 500, { error: 'unknown_error', reason: 'no database' });
        }, function (err) {
          utils.sendError(res, err);
        });
      }`);
    },
  },
  {
    file: /[\\/]express-pouchdb[\\/]lib[\\/]routes[\\/]changes\.js$/,
    apply: (source) => {
      const line = 'req.query.doc_ids = req.body.doc_ids;\n    }';
      if (!source.includes(line)) throw new Error('express-pouchdb changes: the line to patch is not there');
      return source.replace(line, `${line}
    if (req.body && req.body.selector && req.query.filter === '_selector') { // field-ledger
      req.query.selector = req.body.selector;
      delete req.query.filter;
    }`);
    },
  },
];

const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  const patch = PATCHES.find((p) => p.file.test(filename));
  return compile.call(this, patch ? patch.apply(content) : content, filename);
};
