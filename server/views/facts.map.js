// View "facts" (reduce: _sum): what the app's county and month tables count
// (src/domain/totals.rs, for_each_fact), so that a server-side report can match them.
// ES5 only: CouchDB 3 runs it in SpiderMonkey.
//
// One row per fact of a live, non-sample record:
//   key   [year, month, county, fact]
//   value [count, attendance]
// facts:
//   "training:farmer", "training:technician", "training:other"
//       on the training's date; value [1, attendance]. Which training types count is a
//       setting of the app: add up the facts of the counted types.
//   "technology:demonstrated"  on demonstrated_on (when set); value [1, 0]
//   "technology:promoted"      on promoted_on (when set); value [1, 0]
//   "visit"                    on the visit's date; value [1, 0]
// Teams and demands have figures of their own and add no facts. The county is the
// record's place.county (technology: county), trimmed; "" when not given.
function (doc) {
  if (!doc.data || typeof doc.data !== 'object') return;
  if (doc._id.indexOf('_design/') === 0 || doc._deleted || doc.deleted === true || doc.sample === true) return;
  var d = doc.data;
  function fact(date, county, name, attendance) {
    if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    county = typeof county === 'string' ? county.replace(/^\s+|\s+$/g, '') : '';
    emit([parseInt(date.substring(0, 4), 10), parseInt(date.substring(5, 7), 10), county, name], [1, attendance]);
  }
  if (doc.kind === 'training') {
    fact(d.date, d.place && d.place.county, 'training:' + d.training_type,
      typeof d.attendance === 'number' && isFinite(d.attendance) ? d.attendance : 0);
  } else if (doc.kind === 'technology') {
    fact(d.demonstrated_on, d.county, 'technology:demonstrated', 0);
    fact(d.promoted_on, d.county, 'technology:promoted', 0);
  } else if (doc.kind === 'visit') {
    fact(d.date, d.place && d.place.county, 'visit', 0);
  }
}
