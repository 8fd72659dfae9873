import {writePlaceholder} from "../../data-loaders/placeholder.js";

await writePlaceholder();
