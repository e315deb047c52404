import { describeDetractorAlert } from "./detractor-alert.shared";

describeDetractorAlert("sqlite");
