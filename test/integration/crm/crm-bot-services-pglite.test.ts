// The CRM services the sales bot calls, on pglite; one database per preset, shared by the suites.
import { defineAssignSuite } from './crm-assign.suite.ts';
import { defineContactToCompanySuite } from './crm-contact-company.suite.ts';
import { defineDealListSuite } from './crm-deal-lists.suite.ts';
import { defineDeclineLeadSuite } from './crm-decline-lead.suite.ts';
import { defineLeadCardSuite } from './crm-lead-cards.suite.ts';
import { defineSearchSuite } from './crm-search.suite.ts';
import { usePresetDb } from './preset-db.ts';

const dealer = usePresetDb('pglite', 'dealer');
const accessories = usePresetDb('pglite', 'accessories');
const b2b = usePresetDb('pglite', 'b2b-supply');

defineSearchSuite('pglite', dealer);
defineDealListSuite('pglite', dealer, accessories);
defineAssignSuite('pglite', dealer, b2b);
defineContactToCompanySuite('pglite', b2b);
defineDeclineLeadSuite('pglite', accessories);
defineLeadCardSuite('pglite', dealer);
