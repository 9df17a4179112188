// The suppressed table partners see (events per area and month): a suppressed cell is shown
// as "–" and read as "hidden"; a table whose total is itself small is not shown at all.

import type { AggregateTable } from '../api';
import { categoryLabel, useT } from '../i18n';

export function AggregateTableView({ t: table, caption, highlightArea }: { t: AggregateTable; caption: string; highlightArea?: string }) {
  const { t } = useT();
  const k = table.k;
  const cell = (v: number | null | undefined) =>
    v === null || v === undefined ? (
      <>
        <span aria-hidden="true">–</span>
        <span className="visually-hidden">{t('partner.suppressedOther')}</span>
      </>
    ) : (
      v
    );
  if (table.table.grand_total === null && table.areas.length > 0 && table.table.cells.every((r) => r.every((c) => c === null)))
    return <p data-testid="aggregate-hidden">{t('partner.aggregateHidden', { k })}</p>;
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="aggregate" data-testid="aggregate">
        <caption>
          {caption}
          {table.category ? ` – ${categoryLabel(t, table.category)}` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('partner.area')}</th>
            {table.months.map((m) => (
              <th scope="col" key={m}>
                {m}
              </th>
            ))}
            <th scope="col">{t('common.total')}</th>
          </tr>
        </thead>
        <tbody>
          {table.areas.map((a, i) => (
            <tr key={a} className={a === highlightArea ? 'highlight' : undefined}>
              <th scope="row">{a}</th>
              {table.months.map((m, j) => (
                <td key={m}>{cell(table.table.cells[i]?.[j])}</td>
              ))}
              <td className="total">{cell(table.table.row_totals[i])}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('common.total')}</th>
            {table.months.map((m, j) => (
              <td key={m}>{cell(table.table.col_totals[j])}</td>
            ))}
            <td className="total" data-testid="grand-total">
              {cell(table.table.grand_total)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
