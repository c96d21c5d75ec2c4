import { defineCrmSuite } from './crm-services.suite.ts';

defineCrmSuite('pglite');
