// An ECharts line chart (only the parts it needs, so the chunk stays small), with an
// accessible description; the caller shows the same figures in a table.

import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart as ELine } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, MarkPointComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([ELine, GridComponent, LegendComponent, TooltipComponent, MarkPointComponent, AriaComponent, CanvasRenderer]);

export interface Series {
  name: string;
  data: number[];
  marks?: { index: number; label: string }[];
}

export function LineChart({ x, series, label }: { x: string[]; series: Series[]; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        aria: { enabled: true, label: { description: label } },
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { type: 'scroll', top: 0 },
        grid: { left: 40, right: 20, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: x },
        yAxis: { type: 'value', minInterval: 1 },
        series: series.map((s) => ({
          name: s.name,
          type: 'line',
          data: s.data,
          symbolSize: 6,
          markPoint: s.marks?.length
            ? { symbol: 'pin', symbolSize: 36, data: s.marks.map((m) => ({ coord: [x[m.index], s.data[m.index]], value: '!', name: m.label })) }
            : undefined,
        })),
      },
      true,
    );
  }, [x, series, label]);

  return <div ref={el} className="chart" role="img" aria-label={label} data-testid="chart" />;
}
