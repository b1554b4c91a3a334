/**
 * How far the archiver is behind the job stream: the stream's last position minus the archiver's
 * saved cursor (`archiver.job` in the cursors bucket). Jobs it has not passed yet stay in the read
 * models, so a growing lag shows as Redis memory growing.
 */
import type { JetStreamManager } from '@nats-io/jetstream';

export async function archiverLag(jsm: JetStreamManager, prefix: string, jobStreamLastSeq?: number): Promise<number> {
  const last =
    jobStreamLastSeq ?? (await jsm.streams.info(`${prefix.toUpperCase()}_JOB`).catch(() => null))?.state.last_seq ?? 0;
  const cursor = await jsm.direct
    .getMessage(`KV_${prefix}_cursors`, { last_by_subj: `$KV.${prefix}_cursors.archiver.job` })
    .catch(() => null);
  const saved = cursor === null || cursor.data.length === 0 ? 0 : Number(JSON.parse(cursor.string()));
  return last - saved;
}
