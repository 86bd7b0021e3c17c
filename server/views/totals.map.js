// View "totals" (reduce: _sum), and view "count" (reduce: _count) with the same map.
// ES5 only: CouchDB 3 runs it in SpiderMonkey.
//
// One row per live, non-sample record that has a date:
//   key   [year, month, county, kind]   e.g. [2024, 5, "盖州市", "training"]
//   value [records, attendance, women, households, demo_area_mu, promoted_area_mu,
//          support_wan_yuan]
//     0 records           1 for every record
//     1 attendance        training: attendance (人次); 0 for the other kinds
//     2 women             training: women among the attendance
//     3 households        training, technology: households reached
//     4 demo_area_mu      technology: demonstration area (亩)
//     5 promoted_area_mu  technology: promoted area (亩)
//     6 support_wan_yuan  team: support granted (万元)
// The date is the record's own date, as the app's Kind::date() has it: a training's or
// visit's date, a technology's date of its current stage, a team's date of its current
// status, a demand's collected_on. Records with no such date are left out. The county is
// place.county (technology: county; team: none, ""), trimmed. Query with group_level=1..4.
function (doc) {
  if (!doc.data || typeof doc.data !== 'object') return;
  if (doc._id.indexOf('_design/') === 0 || doc._deleted || doc.deleted === true || doc.sample === true) return;
  var d = doc.data;
  var date = null;
  var county = '';
  var STAGE = { introduced: 'introduced_on', demonstrated: 'demonstrated_on', promoted: 'promoted_on' };
  var STATUS = { draft: 'drafted_on', applied: 'applied_on', approved: 'approved_on', serving: 'serving_since', closed: 'closed_on' };
  function num(value) {
    return typeof value === 'number' && isFinite(value) ? value : 0;
  }
  if (doc.kind === 'training' || doc.kind === 'visit') {
    date = d.date;
    county = d.place && d.place.county;
  } else if (doc.kind === 'technology') {
    date = d[STAGE[d.stage]];
    county = d.county;
  } else if (doc.kind === 'team') {
    date = d[STATUS[d.status]];
  } else if (doc.kind === 'demand') {
    date = d.collected_on;
    county = d.place && d.place.county;
  } else {
    return;
  }
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
  county = typeof county === 'string' ? county.replace(/^\s+|\s+$/g, '') : '';
  var training = doc.kind === 'training';
  var technology = doc.kind === 'technology';
  emit([parseInt(date.substring(0, 4), 10), parseInt(date.substring(5, 7), 10), county, doc.kind], [
    1,
    training ? num(d.attendance) : 0,
    training ? num(d.women) : 0,
    training || technology ? num(d.households) : 0,
    technology ? num(d.demo_area_mu) : 0,
    technology ? num(d.promoted_area_mu) : 0,
    doc.kind === 'team' ? num(d.support_wan_yuan) : 0
  ]);
}
