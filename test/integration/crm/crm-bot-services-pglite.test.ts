// The CRM services the sales bot calls, on pglite; one database per preset, shared by the suites.
import { defineDealListSuite } from './crm-deal-lists.suite.ts';
import { defineSearchSuite } from './crm-search.suite.ts';
import { usePresetDb } from './preset-db.ts';

const dealer = usePresetDb('pglite', 'dealer');
const accessories = usePresetDb('pglite', 'accessories');

defineSearchSuite('pglite', dealer);
defineDealListSuite('pglite', dealer, accessories);
