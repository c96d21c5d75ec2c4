// The CRM services the sales bot calls, on postgres; one database per preset, shared by the suites.
import { defineAssignSuite } from './crm-assign.suite.ts';
import { defineContactToCompanySuite } from './crm-contact-company.suite.ts';
import { defineDealListSuite } from './crm-deal-lists.suite.ts';
import { defineDeclineLeadSuite } from './crm-decline-lead.suite.ts';
import { defineLeadCardSuite } from './crm-lead-cards.suite.ts';
import { defineSearchSuite } from './crm-search.suite.ts';
import { usePresetDb } from './preset-db.ts';

const dealer = usePresetDb('postgres', 'dealer');
const accessories = usePresetDb('postgres', 'accessories');
const b2b = usePresetDb('postgres', 'b2b-supply');

defineSearchSuite('postgres', dealer);
defineDealListSuite('postgres', dealer, accessories);
defineAssignSuite('postgres', dealer, b2b);
defineContactToCompanySuite('postgres', b2b);
defineDeclineLeadSuite('postgres', accessories);
defineLeadCardSuite('postgres', dealer);
