/** Worker-thread entry point that exports sub-networks of trained supernets for the engine (nas/exportSupernetSubnet). */
import type { SubnetExport } from '../../contract/protocol';
import { runSubnetExportJob, type SubnetExportJob } from '../supernet/subnetModelExport';
import { servePoolJobs } from './poolWorker';

servePoolJobs<SubnetExportJob, SubnetExport>((job) => job.backend, runSubnetExportJob);
