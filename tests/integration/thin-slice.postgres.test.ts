import { describeThinSlice } from "./thin-slice.shared";

describeThinSlice("postgresql");
