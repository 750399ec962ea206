/**
 * A self-contained HTML MDF report a channel manager opens in a browser: totals, a
 * utilization bar per partner and period, funds expiring soon, ROI per partner, and the full
 * table. Inline CSS and SVG only: no scripts, fonts, images or other external assets, so it
 * can be mailed or archived as one file. Every value from the org is HTML-escaped.
 */
import type { ExpiringFunds, PartnerFigures } from './figures.js';

export interface HtmlReportInput {
  asOf: string;
  expiringWithinDays: number;
  partners: readonly PartnerFigures[];
  expiring: readonly ExpiringFunds[];
  /** When the report was made (ISO date-time); shown in the footer. */
  generatedAt?: string;
  /** Org name or alias shown in the title line. */
  orgLabel?: string;
  /** ISO currency code for amounts; plain numbers when absent. */
  currency?: string;
}

const COLORS = {
  paid: '#0b5cab',
  claimed: '#1b96ff',
  approved: '#aacbff',
  remaining: '#e5e5e5',
  overdrawn: '#ba0517',
  risk: '#dd7a01'
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'
  );
}

function moneyFormatter(currency?: string): (n: number) => string {
  const fmt = currency
    ? new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 })
    : new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return (n) => fmt.format(n);
}

function pct(n: number): string {
  return `${n.toFixed(1)}%`;
}

function sum(rows: readonly PartnerFigures[], key: keyof PartnerFigures): number {
  return Math.round(rows.reduce((s, r) => s + (Number(r[key]) || 0), 0) * 100) / 100;
}

/** One stacked bar: paid | claimed (not paid) | approved (not claimed) | remaining, on budget + accrued. */
function utilizationBar(p: PartnerFigures, money: (n: number) => string): string {
  const width = 560;
  const height = 22;
  const funds = p.budget + p.accrued;
  const scale = funds > 0 ? width / Math.max(funds, p.approved) : 0;
  const parts = [
    { key: 'paid', value: p.paid, color: COLORS.paid, label: 'Paid' },
    {
      key: 'claimed',
      value: Math.max(0, p.claimed - p.paid),
      color: COLORS.claimed,
      label: 'Claimed, not paid'
    },
    {
      key: 'approved',
      value: Math.max(0, p.approved - p.claimed),
      color: COLORS.approved,
      label: 'Approved, not claimed'
    },
    { key: 'remaining', value: Math.max(0, p.remaining), color: COLORS.remaining, label: 'Remaining' }
  ];
  let x = 0;
  const rects = parts
    .filter((s) => s.value > 0)
    .map((s) => {
      const w = Math.max(1, s.value * scale);
      const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="${height}" fill="${s.color}"><title>${escapeHtml(s.label)}: ${escapeHtml(money(s.value))}</title></rect>`;
      x += w;
      return rect;
    })
    .join('');
  const overdrawn =
    p.remaining < 0
      ? `<rect x="${(funds * scale).toFixed(1)}" y="0" width="2" height="${height}" fill="${COLORS.overdrawn}"><title>Over-committed by ${escapeHtml(money(-p.remaining))}</title></rect>`
      : '';
  const label = `${p.partnerName}: ${pct(p.utilizationPct)} of ${money(funds)} claimed; paid ${money(p.paid)}, approved ${money(p.approved)}, remaining ${money(p.remaining)}`;
  return `<svg class="bar" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}">${rects}${overdrawn}</svg>`;
}

function roiBar(roi: number | null, maxRoi: number): string {
  if (roi === null) return '<span class="muted">nothing paid yet</span>';
  const width = 240;
  const w = maxRoi > 0 ? Math.max(2, (roi / maxRoi) * width) : 2;
  return `<svg class="bar" width="${width}" height="14" viewBox="0 0 ${width} 14" aria-hidden="true"><rect x="0" y="0" width="${w.toFixed(1)}" height="14" rx="2" fill="${roi >= 1 ? '#2e844a' : COLORS.overdrawn}"/></svg> <strong>${roi.toFixed(2)}×</strong>`;
}

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#181818;margin:0;background:#f3f3f3}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 10px}
.sub{color:#5c5c5c;margin:0 0 18px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.tile{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.tile .k{color:#5c5c5c;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.tile .v{font-size:22px;font-weight:600;margin-top:2px}
.tile.risk .v{color:${COLORS.risk}}
section{background:#fff;border-radius:8px;padding:16px 18px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e5e5e5;vertical-align:middle}
th{font-size:12px;color:#5c5c5c;text-transform:uppercase;letter-spacing:.04em;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{vertical-align:middle;border-radius:3px;overflow:hidden}
.legend{display:flex;gap:16px;flex-wrap:wrap;margin:0 0 10px;color:#444;font-size:13px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.muted{color:#747474}
td.period{white-space:nowrap}
.soon td{background:#fef1e5}
.soon td.days{color:#a04a00;font-weight:600}
.empty{color:#5c5c5c;padding:8px 0}
.neg{color:${COLORS.overdrawn};font-weight:600}
footer{color:#747474;font-size:12px;margin-top:20px}
`;

export function renderHtmlReport(input: HtmlReportInput): string {
  const money = moneyFormatter(input.currency);
  const rows = input.partners;
  const funds = sum(rows, 'budget') + sum(rows, 'accrued');
  const claimed = sum(rows, 'claimed');
  const paid = sum(rows, 'paid');
  const roiRows = rows.filter((r) => r.roi !== null);
  const maxRoi = Math.max(0, ...roiRows.map((r) => r.roi ?? 0));
  const period = (p: PartnerFigures): string => `${p.periodStart} – ${p.periodEnd}`;

  const tiles = [
    ['Funds (budget + accrued)', money(funds)],
    ['Approved', money(sum(rows, 'approved'))],
    ['Claimed', money(claimed)],
    ['Paid', money(paid)],
    ['Remaining', money(sum(rows, 'remaining'))],
    ['Utilization', funds > 0 ? pct((claimed / funds) * 100) : '—']
  ]
    .map(
      ([k, v]) =>
        `<div class="tile"><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(v)}</div></div>`
    )
    .join('');
  const riskTile = `<div class="tile risk"><div class="k">At risk in ${input.expiringWithinDays} days</div><div class="v">${escapeHtml(money(sum(rows, 'atRisk')))}</div></div>`;

  const legend = `<div class="legend">
<span><i style="background:${COLORS.paid}"></i>Paid</span>
<span><i style="background:${COLORS.claimed}"></i>Claimed, not paid</span>
<span><i style="background:${COLORS.approved}"></i>Approved, not claimed</span>
<span><i style="background:${COLORS.remaining}"></i>Remaining</span></div>`;

  const utilization = rows.length
    ? `${legend}<table><thead><tr><th scope="col">Partner</th><th scope="col">Period</th><th scope="col">Funds used</th><th scope="col" class="n">Utilization</th><th scope="col" class="n">Remaining</th></tr></thead><tbody>${rows
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.partnerName)}</td><td class="muted period">${escapeHtml(period(p))}</td><td>${utilizationBar(p, money)}</td><td class="n"><strong>${escapeHtml(pct(p.utilizationPct))}</strong></td><td class="n${p.remaining < 0 ? ' neg' : ''}">${escapeHtml(money(p.remaining))}</td></tr>`
        )
        .join('')}</tbody></table>`
    : '<p class="empty">No budget covers this date.</p>';

  const expiring = input.expiring.length
    ? `<table><thead><tr><th scope="col">Partner</th><th scope="col">Request</th><th scope="col">Activity</th><th scope="col">Claim deadline</th><th scope="col" class="n">Days left</th><th scope="col" class="n">Approved</th><th scope="col" class="n">Claimed</th><th scope="col" class="n">At risk</th></tr></thead><tbody>${input.expiring
        .map(
          (e) =>
            `<tr${e.daysLeft <= 7 ? ' class="soon"' : ''}><td>${escapeHtml(e.partnerName)}</td><td>${escapeHtml(e.requestName)}</td><td>${escapeHtml(e.activityType ?? '')}</td><td>${escapeHtml(e.claimDeadline)}</td><td class="n days">${e.daysLeft}</td><td class="n">${escapeHtml(money(e.approved))}</td><td class="n">${escapeHtml(money(e.claimed))}</td><td class="n"><strong>${escapeHtml(money(e.atRisk))}</strong></td></tr>`
        )
        .join('')}</tbody></table>`
    : `<p class="empty">No approved funds expire in the next ${input.expiringWithinDays} days.</p>`;

  const roi = rows.length
    ? `<table><thead><tr><th scope="col">Partner</th><th scope="col">Period</th><th scope="col" class="n">Paid</th><th scope="col">Closed-won per paid</th></tr></thead><tbody>${[
        ...rows
      ]
        .sort((a, b) => (b.roi ?? -1) - (a.roi ?? -1))
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.partnerName)}</td><td class="muted period">${escapeHtml(period(p))}</td><td class="n">${escapeHtml(money(p.paid))}</td><td>${roiBar(p.roi, maxRoi)}</td></tr>`
        )
        .join('')}</tbody></table>`
    : '<p class="empty">No budget covers this date.</p>';

  const columns: Array<[keyof PartnerFigures, string]> = [
    ['budget', 'Budget'],
    ['accrued', 'Accrued'],
    ['requested', 'Requested'],
    ['approved', 'Approved'],
    ['claimed', 'Claimed'],
    ['paid', 'Paid'],
    ['remaining', 'Remaining'],
    ['atRisk', 'At risk']
  ];
  const full = rows.length
    ? `<table><thead><tr><th scope="col">Partner</th><th scope="col">Period</th>${columns.map(([, l]) => `<th scope="col" class="n">${l}</th>`).join('')}<th scope="col" class="n">Util.</th><th scope="col" class="n">ROI</th></tr></thead><tbody>${rows
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.partnerName)}</td><td class="muted period">${escapeHtml(period(p))}</td>${columns
              .map(([k]) => `<td class="n">${escapeHtml(money(Number(p[k])))}</td>`)
              .join(
                ''
              )}<td class="n">${escapeHtml(pct(p.utilizationPct))}</td><td class="n">${p.roi === null ? '—' : `${p.roi.toFixed(2)}×`}</td></tr>`
        )
        .join('')}</tbody></table>`
    : '<p class="empty">No budget covers this date.</p>';

  const title = `MDF report — as of ${input.asOf}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="sub">${rows.length} budget${rows.length === 1 ? '' : 's'}${input.orgLabel ? ` · ${escapeHtml(input.orgLabel)}` : ''} · funds at risk: approved but unclaimed, claim deadline within ${input.expiringWithinDays} days</p>
<div class="tiles">${tiles}${riskTile}</div>
<h2>Utilization by partner</h2><section>${utilization}</section>
<h2>Funds expiring within ${input.expiringWithinDays} days</h2><section>${expiring}</section>
<h2>Return on funds (closed-won on the funded campaigns ÷ paid)</h2><section>${roi}</section>
<h2>All figures</h2><section>${full}</section>
<footer>Channel Ops · generated ${escapeHtml(input.generatedAt ?? new Date().toISOString())}. Utilization = claimed ÷ (budget + accrued). Claimed counts approved and paid claims.</footer>
</main></body></html>
`;
}
