import { stringify } from 'csv-stringify/sync';
import PDFDocument from 'pdfkit';
import type { SiteReportDto } from './dto/site-report.dto';

const money = (value: number | null, currency: string | null) =>
  value === null ? 'no tariff' : `${value.toFixed(2)} ${currency ?? ''}`.trim();
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** The report's figures as lines of text (the e-mail body and the PDF's summary). */
export function reportSummary(report: SiteReportDto): string[] {
  return [
    `${report.siteName}: ${report.period} ${report.start} to ${report.end}`,
    `Energy: ${report.energyKwh} kWh`,
    `Cost: ${money(report.cost, report.currency)}`,
    `Out of hours: ${percent(report.outOfHoursShare)}`,
    `Peak demand (30 min): ${report.peakDemandKw === null ? 'no data' : `${report.peakDemandKw} kW at ${report.peakDemandAt}`}`,
    `Alerts raised: ${report.alertsRaised}`,
    `Data coverage: ${percent(report.coverage)}`,
  ];
}

/** One row per local day, then a total row. */
export function reportCsv(report: SiteReportDto): string {
  return stringify(
    [
      ...report.days.map((day) => [day.date, day.energyKwh, day.cost ?? '', day.coverage]),
      ['total', report.energyKwh, report.cost ?? '', report.coverage],
    ],
    { header: true, columns: ['date', 'energy_kwh', `cost_${report.currency ?? ''}`, 'coverage'] },
  );
}

/** A one-page PDF: the summary and a bar chart of daily energy. Uncompressed: small and greppable. */
export function reportPdf(report: SiteReportDto): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(18).text(`Energy report: ${report.siteName}`);
  doc.moveDown(0.5).fontSize(11);
  for (const line of reportSummary(report).slice(1)) doc.text(line);
  drawDailyBars(doc, report);
  doc.end();
  return done;
}

function drawDailyBars(doc: PDFKit.PDFDocument, report: SiteReportDto): void {
  const left = 60;
  const bottom = 520;
  const height = 200;
  const width = 470;
  const max = Math.max(...report.days.map((day) => day.energyKwh), 1);
  const slot = width / Math.max(report.days.length, 1);
  doc.fontSize(12).text('Daily energy (kWh)', left, bottom - height - 30);
  doc
    .moveTo(left, bottom)
    .lineTo(left + width, bottom)
    .stroke();
  report.days.forEach((day, index) => {
    const barHeight = (day.energyKwh / max) * height;
    const x = left + index * slot + slot * 0.15;
    doc.rect(x, bottom - barHeight, slot * 0.7, barHeight).fill('#2e7d32');
    doc
      .fillColor('black')
      .fontSize(7)
      .text(day.date.slice(5), x, bottom + 4, { width: slot * 0.7, align: 'center' });
  });
}
