import { describeBulkRetag } from "./bulk-retag.shared";

describeBulkRetag("sqlite");
