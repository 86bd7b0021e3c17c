// View "facts" (reduce: _sum): what the app's dashboard and report count
// (src/domain/totals.rs), so that server mode (src/replication/views.rs) matches them.
// ES5 only: CouchDB 3 runs it in SpiderMonkey.
//
// One or more rows per fact of a live, non-sample record:
//   key   [year, month, county, fact, detail]
//   value [count, amount]
// facts (detail "" unless said):
//   "training:farmer", "training:technician", "training:other"
//       on the training's date; amount: attendance (人次). Which training types count is a
//       setting of the app: add up the facts of the counted types.
//   "households"               amount 0, count: households reached (户): a training's on its
//                              date, a technology's on promoted_on
//   "technology:introduced"    on introduced_on
//   "technology:demonstrated"  on demonstrated_on; amount: demonstration area (亩)
//   "technology:promoted"      on promoted_on; amount: promoted area (亩)
//   "visit"                    on the visit's date
//   "commissioner"             detail: a commissioner on the visit (once per visit)
//   "host:<host type>"         detail: the visit's host
//   "help:<help kind>"         once per kind of help the visit gave
//   "team"                     detail: the visit's team;  "team-level:<level>" detail: the team
//   "team-commissioner:<team>" detail: a commissioner on that team's visit
//   "demand"                   on collected_on; "demand:matched", "demand:solved",
//                              "demand:pending" as the demand stands now
// The county is the record's place.county (technology: county), trimmed; "" when not given.
// tests/views.rs runs this file over generated ledgers and checks it against totals.rs.
// Query with group_level=4 for the dashboard's tables, 5 for the report's distinct names.
function (doc) {
  if (!doc.data || typeof doc.data !== 'object') return;
  if (doc._id.indexOf('_design/') === 0 || doc._deleted || doc.deleted === true || doc.sample === true) return;
  var d = doc.data;
  // The spaces Rust's trim() takes off (Unicode White_Space): JavaScript's \s differs (it
  // has U+FEFF and lacks U+0085), and a name must be the same name on both sides.
  var SPACE = '[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]';
  var AROUND = new RegExp('^' + SPACE + '+|' + SPACE + '+$', 'g');
  function trim(text) {
    return typeof text === 'string' ? text.replace(AROUND, '') : '';
  }
  function number(value) {
    return typeof value === 'number' && isFinite(value) && value > 0 ? value : 0;
  }
  function fact(date, county, name, detail, count, amount) {
    if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    emit([parseInt(date.substring(0, 4), 10), parseInt(date.substring(5, 7), 10), trim(county), name, detail], [count, amount]);
  }
  var county = d.place && d.place.county;
  if (doc.kind === 'training') {
    fact(d.date, county, 'training:' + d.training_type, '', 1, number(d.attendance));
    if (number(d.households) > 0) fact(d.date, county, 'households', '', number(d.households), 0);
  } else if (doc.kind === 'technology') {
    fact(d.introduced_on, d.county, 'technology:introduced', '', 1, 0);
    fact(d.demonstrated_on, d.county, 'technology:demonstrated', '', 1, number(d.demo_area_mu));
    fact(d.promoted_on, d.county, 'technology:promoted', '', 1, number(d.promoted_area_mu));
    if (number(d.households) > 0) fact(d.promoted_on, d.county, 'households', '', number(d.households), 0);
  } else if (doc.kind === 'visit') {
    fact(d.date, county, 'visit', '', 1, 0);
    var seen = {};
    var team = trim(d.team_name);
    var people = d.commissioners instanceof Array ? d.commissioners : [];
    for (var i = 0; i < people.length; i++) {
      var person = trim(people[i]);
      if (person && !seen.hasOwnProperty(person)) {
        seen[person] = true;
        fact(d.date, county, 'commissioner', person, 1, 0);
        if (team) fact(d.date, county, 'team-commissioner:' + team, person, 1, 0);
      }
    }
    if (trim(d.host)) fact(d.date, county, 'host:' + d.host_type, trim(d.host), 1, 0);
    var help = d.help instanceof Array ? d.help : [];
    var given = {};
    for (var j = 0; j < help.length; j++) {
      if (typeof help[j] === 'string' && !given.hasOwnProperty(help[j])) {
        given[help[j]] = true;
        fact(d.date, county, 'help:' + help[j], '', 1, 0);
      }
    }
    if (team) {
      fact(d.date, county, 'team', team, 1, 0);
      if (typeof d.team_level === 'string' && d.team_level) fact(d.date, county, 'team-level:' + d.team_level, team, 1, 0);
    }
  } else if (doc.kind === 'demand') {
    var status = d.status;
    var matched = status === 'matched' || status === 'serving' || status === 'solved' ||
      (status === 'closed' && typeof d.team_id === 'string' && d.team_id !== '');
    fact(d.collected_on, county, 'demand', '', 1, 0);
    if (matched) fact(d.collected_on, county, 'demand:matched', '', 1, 0);
    if (status === 'solved') fact(d.collected_on, county, 'demand:solved', '', 1, 0);
    if (status === 'open' || status === 'matched' || status === 'serving') fact(d.collected_on, county, 'demand:pending', '', 1, 0);
  }
}
