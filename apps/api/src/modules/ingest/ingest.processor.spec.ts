import 'reflect-metadata';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { IngestProcessor } from './ingest.processor';
import { LivenessService } from './liveness.service';

describe('IngestProcessor', () => {
  it('does not know its consumers: neither realtime nor liveness is injected', () => {
    const dependencies = Reflect.getMetadata('design:paramtypes', IngestProcessor) as unknown[];
    expect(dependencies.length).toBeGreaterThan(0);
    expect(dependencies).not.toContain(RealtimePublisher);
    expect(dependencies).not.toContain(LivenessService);
  });
});
