/**
 * The Metadata API's deploy shapes (DeployOptions, DeployResult, DeployMessage), as the SOAP
 * WSDL and the REST `metadata/deployRequest` resource name them.
 */
import { z } from 'zod';

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const strings = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** DeployOptions as the CLI sends them (SOAP gives strings, REST gives JSON values). */
export const DeployOptionsSchema = z
  .object({
    allowMissingFiles: bool.optional(),
    autoUpdatePackage: bool.optional(),
    checkOnly: bool.optional(),
    ignoreWarnings: bool.optional(),
    performRetrieve: bool.optional(),
    purgeOnDelete: bool.optional(),
    rollbackOnError: bool.optional(),
    runAllTests: bool.optional(),
    runTests: strings.optional(),
    singlePackage: bool.optional(),
    testLevel: z
      .enum(['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg', 'RunRelevantTests'])
      .optional()
  })
  .loose();
export type DeployOptions = z.infer<typeof DeployOptionsSchema>;

export type ProblemType = 'Error' | 'Warning';

export interface DeployMessage {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: ProblemType;
  success: boolean;
}

export type DeployStatus =
  'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

export interface DeployResult {
  id: string;
  checkOnly: boolean;
  completedDate?: string;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  details: {
    componentSuccesses: DeployMessage[];
    componentFailures: DeployMessage[];
    runTestResult: RunTestsResult;
  };
  done: boolean;
  errorMessage?: string;
  errorStatusCode?: string;
  ignoreWarnings: boolean;
  lastModifiedDate: string;
  numberComponentErrors: number;
  numberComponentsDeployed: number;
  numberComponentsTotal: number;
  numberTestErrors: number;
  numberTestsCompleted: number;
  numberTestsTotal: number;
  rollbackOnError: boolean;
  runTestsEnabled: boolean;
  startDate?: string;
  stateDetail?: string;
  status: DeployStatus;
  success: boolean;
}

export interface RunTestsResult {
  numFailures: number;
  numTestsRun: number;
  totalTime: number;
}
