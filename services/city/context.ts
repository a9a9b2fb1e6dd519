import type { Viewer } from '../common/auth/viewer';
import type { Member } from '../common/registry';
import type { WriteReceipt } from '../common/write-receipt';
import type { CityLoaders } from './figures.loaders';
import type { FiguresStore } from './figures.store';
import type { SubmissionsService } from './submissions/submissions.service';
import type { FigureImportJobs } from './submissions/figure-import-jobs';
import type { UnitDefinition } from './units';

/** Per-request context of a city subgraph. */
export interface CityContext {
  member: Member;
  /** Who is asking, as the gateway vouches. */
  viewer: Viewer;
  units: ReadonlyMap<string, UnitDefinition>;
  loaders: CityLoaders;
  store: FiguresStore;
  submissions: SubmissionsService;
  importJobs: FigureImportJobs;
  /** Whether this request committed a write: the gateway is told in the answer's header. */
  writes: WriteReceipt;
}

/** What the gateway hands the city entity: a reference by id, already checked to be this city. */
export interface CityReference {
  id: string;
}
