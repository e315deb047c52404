import { describeThinSlice } from "./thin-slice.shared";

describeThinSlice("sqlite");
