// validate_doc_update of _design/field-ledger. ES5 only: CouchDB 3 runs it in SpiderMonkey.
//
// Every document is one record of the app (the record JSON of the export, plus _id and
// _rev; tombstones keep the record's fields and have "_deleted": true). Its id is
// "<owner>:<record id>": whose a document is follows from its id alone. No rule here reads
// oldDoc: for a revision written with new_edits: false CouchDB passes the first stored
// revision along the new revision's path, null for a branch not joined to the stored tree,
// so a rule resting on it could be passed with a made-up revision history.
// A write is refused with {forbidden: ...} (HTTP 403, or an error entry in a _bulk_docs
// response) when:
//   - the id is not "<owner>:<lowercase UUID>", or the record is malformed (see `check`);
//   - the record's owner (its author for a record older than owners) is not the id's;
//   - the user writing is not the id's owner, unless a coordinator or a server admin;
//   - an attachment is larger than 5 MB, or a photo (an attachment named by its SHA-256, 64
//     lowercase hex) is not a WebP, JPEG or PNG image;
// which also means that the owner of a record never changes.
// Design documents are left to CouchDB, which lets only database admins write them.
function (newDoc, oldDoc, userCtx, secObj) {
  var roles = (userCtx && userCtx.roles) || [];
  var name = userCtx ? userCtx.name : null;
  var isServerAdmin = roles.indexOf('_admin') !== -1;
  var isCoordinator = isServerAdmin || roles.indexOf('coordinator') !== -1;
  var KINDS = ['training', 'technology', 'visit', 'team', 'demand'];
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  var PHOTO_NAME = /^[0-9a-f]{64}$/;
  var PHOTO_TYPES = ['image/webp', 'image/jpeg', 'image/png'];
  var MAX_ATTACHMENT = 5 * 1024 * 1024;

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
  function check(doc, recordId) {
    if (doc.id !== recordId) forbid('invalid id: it must be the record id in _id');
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

  // CouchDB shows an attachment as a stub with its length; a server that passes the
  // attachment as sent (pouchdb-server) shows its data, base64.
  function attachmentLength(att) {
    if (typeof att.length === 'number') return att.length;
    if (isString(att.data)) return Math.floor(att.data.length * 3 / 4);
    return 0;
  }
  function checkAttachments(doc) {
    var all = doc._attachments;
    if (all === undefined) return;
    if (!all || typeof all !== 'object' || Array.isArray(all)) forbid('invalid _attachments: an object');
    for (var name in all) {
      var att = all[name] || {};
      if (attachmentLength(att) > MAX_ATTACHMENT) forbid('attachment ' + name + ': larger than 5 MB');
      if (PHOTO_NAME.test(name) && PHOTO_TYPES.indexOf(att.content_type) === -1) {
        forbid('photo ' + name + ': a WebP, JPEG or PNG image');
      }
    }
  }

  if (isString(newDoc._id) && newDoc._id.indexOf('_design/') === 0) return;

  var id = isString(newDoc._id) ? newDoc._id : '';
  var colon = id.lastIndexOf(':');
  var idOwner = id.slice(0, colon);
  var recordId = id.slice(colon + 1);
  if (colon < 1 || !UUID.test(recordId)) forbid('invalid _id: "<owner>:<record id>", the record id a lowercase UUID');
  if (!isCoordinator && idOwner !== name) forbid('owner: ' + name + ' may not write a record of ' + idOwner);
  // A bare tombstone ({_id, _rev, _deleted: true}, as DELETE /db/doc writes): its id says
  // whose it is, checked above.
  if (newDoc._deleted === true && newDoc.kind === undefined && newDoc.owner === undefined) return;
  checkAttachments(newDoc);
  check(newDoc, recordId);
  if (ownerOf(newDoc) !== idOwner) forbid('owner: the owner of a record is the one its _id names (' + idOwner + ')');
}
