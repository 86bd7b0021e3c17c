// validate_doc_update of _design/field-ledger. ES5 only: CouchDB 3 runs it in SpiderMonkey.
//
// Every document is one record of the app (the record JSON of the export, plus _id and
// _rev; tombstones keep the record's fields and have "_deleted": true). A write is refused
// with {forbidden: ...} (HTTP 403, or an error entry in a _bulk_docs response) when:
//   - the record is malformed (see `check` below);
//   - its owner is not the user writing it, unless that user is a coordinator or an admin;
//   - it changes the owner of an existing document, unless the user is a server admin.
// Design documents are left to CouchDB, which lets only database admins write them.
function (newDoc, oldDoc, userCtx, secObj) {
  var roles = (userCtx && userCtx.roles) || [];
  var name = userCtx ? userCtx.name : null;
  var isServerAdmin = roles.indexOf('_admin') !== -1;
  var isCoordinator = isServerAdmin || roles.indexOf('coordinator') !== -1;
  var KINDS = ['training', 'technology', 'visit', 'team', 'demand'];
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  function forbid(message) {
    throw ({ forbidden: message });
  }
  function isString(value) {
    return typeof value === 'string';
  }
  function isPositiveInteger(value) {
    return typeof value === 'number' && value >= 1 && Math.floor(value) === value;
  }
  function ownerOf(doc) {
    return isString(doc.owner) ? doc.owner : doc.author;
  }
  function check(doc) {
    if (!isString(doc._id) || !UUID.test(doc._id)) forbid('invalid _id: a record id is a lowercase UUID');
    if (doc.id !== doc._id) forbid('invalid id: it must equal _id');
    if (KINDS.indexOf(doc.kind) === -1) forbid('invalid kind: one of ' + KINDS.join(', '));
    if (!doc.data || typeof doc.data !== 'object' || Array.isArray(doc.data)) forbid('invalid data: an object');
    if (!isPositiveInteger(doc.revision)) forbid('invalid revision: a positive integer');
    if (!isPositiveInteger(doc.schema_version)) forbid('invalid schema_version: a positive integer');
    if (doc.owner !== undefined && (!isString(doc.owner) || doc.owner === '')) forbid('invalid owner: a non-empty string');
    if (!isString(doc.author)) forbid('invalid author: a string');
    if (!isString(doc.device_id)) forbid('invalid device_id: a string');
    if (!isString(doc.created_at)) forbid('invalid created_at: a string');
    if (!isString(doc.updated_at)) forbid('invalid updated_at: a string');
    if (doc.history !== undefined && !Array.isArray(doc.history)) forbid('invalid history: an array');
    if (doc.deleted !== undefined && typeof doc.deleted !== 'boolean') forbid('invalid deleted: a boolean');
  }

  if (isString(newDoc._id) && newDoc._id.indexOf('_design/') === 0) return;

  // A bare tombstone ({_id, _rev, _deleted: true}, as DELETE /db/doc writes): it is whoever
  // owned the document before that may delete it.
  var bareTombstone = newDoc._deleted === true && newDoc.kind === undefined && newDoc.owner === undefined;
  if (bareTombstone) {
    if (isCoordinator) return;
    if (!oldDoc || !isString(ownerOf(oldDoc))) forbid('only a coordinator may delete a record without its fields');
    if (ownerOf(oldDoc) !== name) forbid('owner: ' + name + ' may not delete a record of ' + ownerOf(oldDoc));
    return;
  }

  check(newDoc);
  // A record made before owners existed has none: its author stands for it (as in the app).
  var owner = ownerOf(newDoc);
  if (oldDoc && isString(ownerOf(oldDoc)) && ownerOf(oldDoc) !== owner && !isServerAdmin) {
    forbid('owner: the owner of a record never changes (' + ownerOf(oldDoc) + ')');
  }
  if (!isCoordinator && owner !== name) {
    forbid('owner: ' + name + ' may not write a record of ' + owner);
  }
}
