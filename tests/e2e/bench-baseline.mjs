// Shared by the benchmark (tests/e2e/bench.mjs, in Node) and its raw-JavaScript baseline page
// (bench-baseline.html, in the browser): a deterministic generator of realistic records in
// the app's storage format, and the baseline's naive list and filter.
//
// The generator writes records exactly as the app stores them (src/domain/record.rs: the
// envelope fields, then `kind` and `data`; empty optional fields left out) and valid by
// src/domain/input.rs: every training has a topic and attendance, every visit commissioners
// and a host, every technology the date of its current stage, stage dates in order.

export const RECORD_PREFIX = 'fl.v1.rec.';

/** Small, fast, seeded PRNG (mulberry32): the same records on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (rand, n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

/** A valid version-4 UUID, deterministic in `n` and different for every `n`. */
export function uuidOf(n, salt = 0) {
  const rand = prng(n * 7919 + salt * 104729 + 17);
  const tail = (n >>> 0).toString(16).padStart(8, '0');
  return `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(rand, 3)}-${hex(rand, 4)}${tail}`;
}

export const COUNTIES = ['站前区', '西市区', '鲅鱼圈区', '老边区', '盖州市', '大石桥市', '营口高新区'];
const TOWNSHIPS = {
  站前区: ['八田地街道', '建设街道', '跃进街道'],
  西市区: ['河北街道', '滨海街道', '得胜街道'],
  鲅鱼圈区: ['芦屯镇', '红旗镇', '熊岳镇', '九寨镇'],
  老边区: ['柳树镇', '边城镇', '路南镇'],
  盖州市: ['九垄地镇', '双台镇', '杨运镇', '高屯镇', '矿洞沟镇', '什字街镇'],
  大石桥市: ['汤池镇', '高坎镇', '博洛铺镇', '虎庄镇', '周家镇', '官屯镇'],
  营口高新区: ['沿海产业基地', '创业园区'],
};
const VILLAGES = ['东窑村', '西崴子村', '前进村', '后石村', '小望海村', '三道村', '东岗村', '李家村',
  '王家村', '杨家村', '新立村', '红旗村', '青石岭村', '马家村', '张家堡村', '团山村', '黄土岭村',
  '大房身村', '陈屯村', '河洼村'];
const PEOPLE = ['刘强', '王丽', '张伟', '李娜', '陈明', '赵磊', '孙红', '周杰', '吴敏', '郑涛', '王建国',
  '李春梅', '张志刚', '杨秀英', '高峰', '于海洋', '邵立新', '曲美玲', '姜文博', '崔永军'];
const ORGANISERS = ['营口市科技局', '盖州市科技局', '大石桥市科技局', '老边区农业农村局', '鲅鱼圈区科技局',
  '营口市农业技术推广中心'];
const TOPICS = ['水稻病虫害绿色防控技术', '水稻测土配方施肥技术', '设施蔬菜栽培管理', '苹果树冬季修剪技术',
  '玉米高产栽培技术', '大樱桃花期管理', '葡萄避雨栽培技术', '食用菌栽培技术', '生猪养殖疫病防控',
  '农机安全操作与维护', '水肥一体化技术应用', '盐碱地改良与培肥', '草莓育苗技术', '农产品电商营销',
  '秸秆综合利用技术', '稻田养蟹综合种养'];
const SUBJECTS = ['水稻', '玉米', '蔬菜', '果树', '大樱桃', '草莓', '食用菌', '生猪', '河蟹', '农机'];
const TRAINING_NOTES = ['现场发放技术资料200余份，农户反映良好。', '结合田间实地讲解，解答农户提问十余个。',
  '培训后组织参观示范基地，农户学习积极性高。', '部分农户希望下次增加病虫害识别的内容。',
  '村委会协助组织，到场农户较往年明显增多。'];
// Technology names from DOMAIN.md and the like.
const TECHNOLOGIES = [
  ['低成本可控生物降解地膜', 'technique', ['中科院长春应用化学研究所', '辽宁东盛集团']],
  ['几种大宗蔬菜供应链保鲜关键技术', 'technique', ['国家农产品保鲜工程技术研究中心']],
  ['滨海重盐碱地加速改良培育与产能提升', 'technique', ['营口国丰生态农业有限公司', '中国科学院南京土壤研究所']],
  ['利用分子育种技术改良域稻17等品种的香味性状', 'variety', ['营口天禹水稻有限公司', '山东省农业科学院水稻研究所']],
  ['辽粳433水稻新品种', 'variety', ['辽宁省水稻研究所']],
  ['美早大樱桃新品种', 'variety', ['大连市农业科学研究院']],
  ['设施草莓高架栽培技术', 'technique', ['沈阳农业大学']],
  ['玉米免耕播种机', 'machine', ['辽宁省农业机械化研究所']],
  ['水肥一体化滴灌设备', 'machine', ['沈阳农业大学', '营口市农业技术推广中心']],
  ['植保无人机飞防技术', 'technique', ['辽宁省农业科学院']],
  ['苹果矮砧密植栽培技术', 'technique', ['辽宁省果树科学研究所']],
  ['温室大棚智能卷帘机', 'machine', ['营口市农机推广站']],
];
const TECH_SITES = ['营口国丰生态农业有限公司', '营口天禹水稻种植专业合作社', '盖州市果树示范园',
  '大石桥市高坎镇蔬菜示范基地', '老边区柳树镇设施农业园区', '鲅鱼圈区熊岳镇大樱桃示范园'];
const TECH_NOTES = ['示范田较对照增产约8%。', '农户对新品种接受程度高，计划明年扩大面积。',
  '已与合作社签订推广协议。', '需继续观察两个生长季的效果。'];
// Visit hosts: a name, a business and the host type the suffix stands for. Hosts are the only
// visit text with the character 水 (the filter benchmark counts on that, see filterSteps).
const HOST_NAMES = ['天禹', '丰泽', '金穗', '绿源', '禾丰', '盛农', '鑫达', '润田', '兴隆', '宏远', '福康', '瑞丰'];
const BUSINESSES = ['水稻种植', '水果种植', '水产养殖', '蔬菜种植', '大樱桃种植', '食用菌', '生猪养殖',
  '农机服务', '草莓种植', '葡萄种植', '水稻育秧', '玉米种植'];
const HOST_TYPES = [['cooperative', '专业合作社'], ['family_farm', '家庭农场'], ['enterprise', '农业有限公司'],
  ['innovation_hub', '星创天地'], ['science_park', '农业科技园区']];
const TEAMS = [['provincial_team', '辽宁省果树科技特派团'], ['provincial_team', '辽宁省设施蔬菜科技特派团'],
  ['provincial_group', '盖州市大樱桃科技特派组'], ['municipal_team', '营口市农业科技特派团'],
  ['municipal_team', '营口市畜牧科技特派团']];
const HELP = ['diagnosis', 'advice', 'demonstration', 'training', 'follow_up', 'other'];
const PROBLEMS = ['大樱桃出现裂果，品质下降。', '玉米苗期叶片发黄，长势偏弱。', '设施蔬菜连作障碍明显，产量下降。',
  '草莓白粉病发生较重，农户用药不当。', '生猪出栏价格低，养殖效益下降。', '农机老化，作业效率低，维修困难。',
  '葡萄霜霉病零星发生。', '土壤板结，有机质含量偏低。'];
const ADVICE = ['建议增施有机肥，合理轮作倒茬。', '建议及时喷施杀菌剂，加强通风降湿。',
  '建议引进新品种，开展小面积示范种植。', '建议与加工企业签订订单，稳定销路。',
  '建议更新播种机具，并组织机手培训。', '建议开展测土配方施肥。'];
const VISIT_TECHS = ['大樱桃避雨栽培', '设施草莓高架栽培', '植保无人机飞防', '生物降解地膜', '苹果矮砧密植'];
const VISIT_NOTES = ['合作社理事长陪同查看了示范田。', '农户希望特派员下月再来指导。',
  '现场演示了修剪方法，十余名农户参加。', '已建立微信群，随时解答农户问题。'];

const OFFICERS = 12;
/** The device id of officer `k`'s tablet. */
export const deviceOf = (k) => uuidOf(k, 1);
export const authorOf = (k) => PEOPLE[k % PEOPLE.length];

const DAY = 86400000;
const YEAR_START = Date.UTC(2022, 0, 1);
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms) => new Date(ms).toISOString().slice(0, 19) + 'Z';
const pad2 = (n) => String(n).padStart(2, '0');

/** Coordinates as the app stores them: read back from the form's six-decimal text. */
const coordinate = (x) => Math.round(x * 1e6) / 1e6;
const point = (rand, int) => ({ latitude: coordinate(40.2 + rand() * 0.8), longitude: coordinate(122.0 + rand() * 0.6), accuracy_m: int(5, 30) });

/** What a lean record leaves out: the optional extras, keeping what identifies and counts it. */
const LEAN_DROPS = ['start_time', 'end_time', 'duration_hours', 'organiser', 'women', 'households', 'subjects',
  'notes', 'site_location', 'team_level', 'team_name', 'technologies', 'location'];

/**
 * Record number `n`: 40 % trainings, 20 % technologies, 40 % visits, all dated in 2022, with
 * the optional fields an officer fills in at realistic rates. With `lean`, the same record
 * without the optional extras (LEAN_DROPS), as a brief entry would be.
 */
export function makeRecord(n, { lean = false } = {}) {
  const rand = prng(n + 1);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const chance = (p) => rand() < p;
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const slot = n % 10;
  const kind = slot < 4 ? 'training' : slot < 6 ? 'technology' : 'visit';
  const day = YEAR_START + int(0, 364) * DAY;
  const officer = int(0, OFFICERS - 1);
  const created = day + int(9, 20) * 3600000 + int(0, 59) * 60000;
  const edits = chance(0.2) ? int(1, 2) : 0;
  const updated = created + edits * int(1, 72) * 3600000;
  const county = pick(COUNTIES);
  const place = () => {
    const p = { county };
    if (chance(0.9)) p.township = pick(TOWNSHIPS[county]);
    if (chance(0.85)) p.village = pick(VILLAGES);
    return p;
  };
  const people = (lo, hi) => {
    const out = [];
    for (let k = int(lo, hi); out.length < k;) {
      const who = pick(PEOPLE);
      if (!out.includes(who)) out.push(who);
    }
    return out;
  };
  const times = (data) => {
    if (chance(0.6)) {
      const start = int(8, 14);
      data.start_time = `${pad2(start)}:${chance(0.5) ? '00' : '30'}`;
      data.end_time = `${pad2(start + int(1, 3))}:${chance(0.5) ? '00' : '30'}`;
    }
  };
  let data;
  if (kind === 'training') {
    data = { date: isoDate(day) };
    times(data);
    if (chance(0.3)) data.duration_hours = pick([1.5, 2, 2.5, 3, 4]);
    data.training_type = chance(0.7) ? 'farmer' : chance(0.66) ? 'technician' : 'other';
    data.topic = pick(TOPICS) + (chance(0.3) ? `（第${int(2, 6)}期）` : '');
    data.trainers = people(1, 2);
    if (chance(0.5)) data.organiser = pick(ORGANISERS);
    data.place = place();
    data.attendance = int(15, 120);
    if (chance(0.5)) data.women = int(0, data.attendance);
    if (chance(0.4)) data.households = int(5, data.attendance);
    if (chance(0.5)) data.subjects = [pick(SUBJECTS)];
    if (chance(0.4)) data.notes = pick(TRAINING_NOTES);
  } else if (kind === 'technology') {
    const [name, category, partners] = pick(TECHNOLOGIES);
    const stage = pick(['introduced', 'demonstrated', 'promoted']);
    data = { name, category, partners };
    if (chance(0.8)) data.site = pick(TECH_SITES);
    data.county = county;
    data.stage = stage;
    // Stage dates up to the current stage, in order; the current stage's date is `day`.
    const reached = ['introduced', 'demonstrated', 'promoted'].indexOf(stage);
    let at = day - reached * int(30, 90) * DAY;
    if (at < YEAR_START) at = YEAR_START;
    data.introduced_on = isoDate(reached === 0 ? day : at);
    if (reached >= 1) data.demonstrated_on = isoDate(reached === 1 ? day : Math.max(at, day - int(10, 60) * DAY));
    if (reached >= 2) data.promoted_on = isoDate(day);
    if (reached >= 1 && chance(0.7)) data.demo_area_mu = int(5, 300);
    if (reached >= 2 && chance(0.7)) data.promoted_area_mu = int(200, 20000);
    if (chance(0.5)) data.households = int(3, 400);
    if (chance(0.2)) data.site_location = point(rand, int);
    if (chance(0.5)) data.notes = pick(TECH_NOTES);
  } else {
    data = { date: isoDate(day) };
    times(data);
    data.commissioners = people(1, 3);
    if (chance(0.6)) {
      const [level, team] = pick(TEAMS);
      data.team_level = level;
      data.team_name = team;
    }
    const p = place();
    if (chance(0.25) && p.village) {
      data.host = `${p.village}村民委员会`;
      data.host_type = 'village';
    } else {
      const [type, suffix] = pick(HOST_TYPES);
      data.host = `营口${pick(HOST_NAMES)}${pick(BUSINESSES)}${suffix}`;
      data.host_type = type;
    }
    data.place = p;
    data.help = HELP.filter(() => chance(0.35));
    if (data.help.length === 0) delete data.help;
    if (chance(0.7)) data.problems = pick(PROBLEMS);
    if (chance(0.7)) data.advice = pick(ADVICE);
    if (chance(0.3)) data.technologies = [pick(VISIT_TECHS)];
    if (chance(0.15)) {
      data.follow_up_needed = true;
      data.follow_up_by = isoDate(day + int(7, 60) * DAY);
    }
    if (chance(0.3)) data.location = { ...point(rand, int), captured_at: isoTime(created) };
    if (chance(0.4)) data.notes = pick(VISIT_NOTES);
  }
  if (lean) for (const field of LEAN_DROPS) delete data[field];
  return {
    id: uuidOf(n),
    created_at: isoTime(created),
    updated_at: isoTime(updated),
    revision: 1 + edits,
    device_id: deviceOf(officer),
    author: authorOf(officer),
    schema_version: 1,
    deleted: false,
    kind,
    data,
  };
}

/** The stored form of record `n`: its key and JSON text. */
export function storedRecord(n, options) {
  const record = makeRecord(n, options);
  return [RECORD_PREFIX + record.id, JSON.stringify(record)];
}

/** The settings of the benchmark's tablet: officer 0, signed in, Chinese interface. */
export function settingsJson() {
  return JSON.stringify({ device_id: deviceOf(0), author: authorOf(0), language: 'zh', extra_counties: [], exports: [], targets: [] });
}

// ---- The baseline: what a naive hand-written page does with the same storage. ----

const TRAINING_TYPE = { farmer: '农民科技培训', technician: '农民技术员培训', other: '其他培训' };
const CATEGORY = { variety: '新品种', technique: '新技术', machine: '新机具' };
const STAGE = { introduced: '引进', demonstrated: '示范', promoted: '推广应用' };
const placeText = (p) => (p ? [p.county, p.township, p.village].filter(Boolean).join(' ') : '');
const joinPresent = (parts) => parts.filter(Boolean).join(' · ');

/** The list date of a record (its date, or its current stage's). */
export const recordDate = (r) => (r.kind === 'technology' ? r.data[`${r.data.stage}_on`] : r.data.date) ?? '';

/** Date, title and context of a list row, as the app's list shows them (labels.rs `summary`). */
export function summary(r) {
  const d = r.data;
  if (r.kind === 'training') return [d.date, d.topic, joinPresent([TRAINING_TYPE[d.training_type], placeText(d.place), `${d.attendance} 人次`])];
  if (r.kind === 'technology') return [recordDate(r), d.name, joinPresent([CATEGORY[d.category], STAGE[d.stage], d.site])];
  return [d.date, d.host, joinPresent([(d.commissioners ?? []).join('、'), placeText(d.place)])];
}

/** Every text a filter could look in, lowercased once. */
export function haystack(r) {
  const parts = [];
  const walk = (v) => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(r.data);
  return [...parts, ...summary(r)].join('\n').toLowerCase();
}

/** Newest first: by list date, then last change, then id (as Ledger::list). */
export function newestFirst(a, b) {
  const da = recordDate(a), db = recordDate(b);
  if (da !== db) return da < db ? 1 : -1;
  if (a.updated_at !== b.updated_at) return a.updated_at < b.updated_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Reads, parses and lists the stored records of one kind, the naive way. */
export function loadList(kind) {
  const records = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (!key.startsWith(RECORD_PREFIX)) continue;
    records.push(JSON.parse(localStorage.getItem(key)));
  }
  const list = records.filter((r) => r.kind === kind && !r.deleted).sort(newestFirst);
  return { records, list };
}

/** One `<li>` of the list, the same markup as the app's row. */
export function row(r) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.className = 'record-row';
  a.href = `/${r.kind}/${r.id}`;
  const [date, title, context] = summary(r);
  for (const [cls, text] of [['row-date', date], ['row-title', title], ['row-context', context]]) {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    a.append(span);
  }
  li.append(a);
  return li;
}

/** How many rows the baseline filter shows: the first 50 matches, as a windowed list would. */
export const FILTER_WINDOW = 50;

/**
 * The page: the list of `kind`, every row; with `filter`, the first FILTER_WINDOW rows and a
 * text filter over all records.
 */
export function startPage({ kind = 'training', filter = false } = {}) {
  const { records, list } = loadList(kind);
  const main = document.createElement('main');
  const count = document.createElement('p');
  count.className = 'count';
  count.dataset.count = String(list.length);
  count.textContent = `共 ${list.length} 条`;
  const ul = document.createElement('ul');
  ul.className = 'record-list';
  // The start-up page renders every row; the filter page a window, like its keystrokes.
  for (const r of filter ? list.slice(0, FILTER_WINDOW) : list) ul.append(row(r));
  main.append(count, ul);
  document.body.append(main);
  if (!filter) return;
  // Prepared once, after the first render: every record (all kinds, in list order) with its
  // lowercased text; each keystroke filters all 10 000 and replaces the rows.
  const prepared = [...records].sort(newestFirst).map((r) => ({ r, kind: r.kind, hay: haystack(r) }));
  const input = document.createElement('input');
  input.id = 'filter-text';
  input.type = 'search';
  input.addEventListener('input', () => {
    const q = input.value.trim().toLowerCase();
    const matches = prepared.filter((p) => p.kind === kind && (q === '' || p.hay.includes(q)));
    count.dataset.count = String(matches.length);
    count.textContent = `共 ${matches.length} 条`;
    ul.replaceChildren(...matches.slice(0, FILTER_WINDOW).map((p) => row(p.r)));
  });
  main.prepend(input);
}

/**
 * The filter benchmark's keystrokes: a word typed character by character, then deleted.
 * Among visits only hosts contain 水, so any filter over a visit's text finds these counts.
 */
export const FILTER_STEPS = ['水', '水稻', '水稻种', '水稻', '水', ''];
