import { Chart, type ChartProps } from '../web/client/chart.tsx';
import { island } from '../web/island.tsx';

/** A report's chart (uPlot), beside the table that states the same figures. */
export default island('ReportChart', (props: ChartProps) => <Chart {...props} />);
