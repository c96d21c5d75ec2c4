// The CRM services the sales bot calls, on postgres; one database per preset, shared by the suites.
import { defineAssignSuite } from './crm-assign.suite.ts';
import { defineDealListSuite } from './crm-deal-lists.suite.ts';
import { defineSearchSuite } from './crm-search.suite.ts';
import { usePresetDb } from './preset-db.ts';

const dealer = usePresetDb('postgres', 'dealer');
const accessories = usePresetDb('postgres', 'accessories');
const b2b = usePresetDb('postgres', 'b2b-supply');

defineSearchSuite('postgres', dealer);
defineDealListSuite('postgres', dealer, accessories);
defineAssignSuite('postgres', dealer, b2b);
