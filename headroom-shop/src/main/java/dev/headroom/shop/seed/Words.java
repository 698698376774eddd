package dev.headroom.shop.seed;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The built-in word lists the generator draws from, pre-encoded as ASCII bytes. Changing any list
 * (its words or their order) changes the generated data: bump {@link Seeder#GENERATOR_VERSION}.
 */
final class Words {

    private Words() {
    }

    static final byte[][] FIRST_NAMES = encode(split("""
            Ada Alan Grace Linus Barbara Edsger Donald Margaret Ken Dennis Bjarne Guido James Anders
            Frances Radia Sophie Tim Vint Whitfield Shafi Leslie Niklaus John Katherine Dorothy Mary
            Hedy Joan Karen Adele Jean Betty Kathleen Ruth Marlyn Fran Ida Evelyn Carol Susan Lynn
            Amir Fatima Omar Layla Yusuf Aisha Hassan Noor Karim Zainab Mohammed Leila Tariq Samira
            Wei Li Ming Hui Jun Xin Yan Hao Mei Chen Hiroshi Yuki Haruto Sakura Kenji Aiko Takeshi Hana
            Minjun Seoyeon Jiho Haeun Arjun Priya Rahul Ananya Vikram Deepa Rohan Kavya Sanjay Meera
            Olusegun Chiamaka Kwame Amara Tendai Zola Thabo Nia Kofi Ayodele Jabari Imani Sipho Ife
            Mateo Sofia Diego Valentina Santiago Camila Lucas Isabella Gabriel Lucia Pablo Elena Carlos
            Ana Joao Beatriz Miguel Ines Rafael Marta Tomas Clara Nikolai Olga Dmitri Anya Ivan Katya
            Pavel Irina Lars Ingrid Sven Astrid Erik Freya Nils Sigrid Jan Eva Piotr Zofia Marek Agata
            Liam Olivia Noah Emma Oliver Ava Elijah Charlotte William Amelia Henry Harper Benjamin Mia
            Theodore Rosa Jack Abigail Samuel Emily Owen Ella Leo Chloe Felix Nora Hugo Iris Oscar
            Ruby Arthur Alice Ezra Hazel Finn Luna Miles Stella Jonah Violet Caleb Aurora Isaac Maya
            """));

    static final byte[][] LAST_NAMES = encode(split("""
            Lovelace Turing Hopper Torvalds Liskov Dijkstra Knuth Hamilton Thompson Ritchie
            Stroustrup Rossum Gosling Hejlsberg Allen Perlman Wilson Lee Cerf Diffie Goldwasser Lamport
            Wirth McCarthy Johnson Vaughan Keller Lamarr Clarke Jones Goldberg Bartik Holberton Antonelli
            Teitelbaum Wescoff Bilas Rhodes Smith Brown Taylor Miller Davis Garcia Rodriguez Martinez
            Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz Cruz Morales
            Ortiz Gutierrez Chavez Ramos Castillo Romero Silva Santos Oliveira Costa Pereira Almeida
            Ferreira Carvalho Rocha Nguyen Tran Pham Le Hoang Huynh Vo Dang Bui Do Wang Zhang Liu Yang
            Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Tanaka Suzuki Takahashi Watanabe Ito
            Yamamoto Nakamura Kobayashi Kato Yoshida Kim Park Choi Jung Kang Cho Yoon Jang Lim Han Patel
            Sharma Singh Kumar Gupta Reddy Iyer Nair Mehta Joshi Rao Das Bose Khan Ali Hussain Ahmed
            Rahman Haddad Nasser Mansour Farouk Saleh Okafor Adeyemi Mensah Okonkwo Mwangi Banda Dube
            Nkosi Diallo Traore Kamara Mbeki Cohen Levi Friedman Katz Novak Kowalski Nowak Horvat Popescu
            Ivanov Petrov Sokolov Smirnov Volkov Andersen Hansen Larsen Nielsen Johansson Lindqvist
            Berg Virtanen Korhonen Muller Schmidt Schneider Fischer Weber Becker Wagner Schulz Hoffmann
            Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Dubois Martin Bernard Moreau
            Laurent Lefebvre Fontaine Murphy Kelly Walsh Byrne Ryan Oconnor Campbell Stewart Fraser
            """));

    static final byte[][] FIRST_NAMES_LOWER = lower(FIRST_NAMES);
    static final byte[][] LAST_NAMES_LOWER = lower(LAST_NAMES);

    /** Capitalised for product names; lower-case copies for descriptions. */
    static final byte[][] ADJECTIVES = encode(split("""
            Ergonomic Rustic Sleek Intelligent Gorgeous Incredible Fantastic Practical Handcrafted
            Refined Elegant Durable Lightweight Heavy-Duty Compact Modern Classic Vintage Premium
            Essential Portable Foldable Smart Wireless Organic Recycled Eco-Friendly Luxurious Sturdy
            Minimalist Deluxe Professional Adjustable Waterproof Insulated Quiet Bold Soft Tough
            """));

    static final byte[][] ADJECTIVES_LOWER = lower(ADJECTIVES);

    static final byte[][] FEATURES = encode(splitPhrases("""
            a lifetime warranty, a water-resistant coating, reinforced stitching, an ergonomic grip,
            a compact footprint, a matte finish, a brushed metal trim, quick tool-free assembly,
            an energy-saving mode, a removable washable cover, adjustable height, a non-slip base,
            soft-touch edges, recyclable packaging, a scratch-resistant surface, a magnetic closure,
            a detachable strap, hand-finished seams, a long-lasting battery, fast USB-C charging,
            a replaceable filter, a breathable lining, double-walled insulation, a hidden pocket,
            a built-in LED light, an easy-clean surface, stackable modules, a padded interior,
            a low-noise motor, a rust-proof frame, a fold-flat design, a gift-ready box
            """));

    static final byte[][] AUDIENCES = encode(splitPhrases("""
            everyday use, home offices, frequent travellers, small apartments, busy professionals,
            beginners and experts alike, gift giving, outdoor adventures, growing families, students,
            the kitchen, weekend projects, camping trips, the daily commute, the gym, cold winters,
            hot summers, pet owners, collectors, early risers, night owls, remote workers
            """));

    /**
     * A product category: its slug, its share of the catalogue in per mille, the log-normal
     * price model (median and sigma of ln(price)), and its own materials and nouns.
     */
    record Category(byte[] name, int weightPerMille, double medianCents, double sigma,
                    byte[][] materials, byte[][] materialsLower, byte[][] nouns, byte[][] nounsLower) {
    }

    /** Twenty categories with skewed sizes: the top three hold 45 % of the catalogue, the last 0.4 %. */
    static final Category[] CATEGORIES = {
            category("electronics", 180, 12_000, 1.0, "Aluminum,Plastic,Carbon Fiber,Glass,Titanium,Silicone",
                    "Headphones,Speaker,Charger,Keyboard,Mouse,Monitor,Router,Camera,Tablet,Smartwatch,Cable,Drone"),
            category("clothing", 150, 3_500, 0.6, "Cotton,Wool,Linen,Silk,Denim,Fleece,Cashmere,Polyester",
                    "Shirt,Jacket,Sweater,Dress,Jeans,Scarf,Hoodie,Coat,Skirt,Vest,Socks,Gloves"),
            category("home", 120, 4_500, 0.9, "Ceramic,Steel,Wooden,Bamboo,Glass,Marble,Cotton,Copper",
                    "Chair,Table,Lamp,Mug,Pan,Knife,Vase,Pillow,Blanket,Shelf,Kettle,Clock"),
            category("books", 100, 1_800, 0.5, "Paperback,Hardcover,Illustrated,Leather-Bound,Pocket",
                    "Novel,Cookbook,Atlas,Biography,Guide,Anthology,Handbook,Journal,Almanac,Primer"),
            category("sports", 80, 5_000, 1.0, "Rubber,Nylon,Carbon,Aluminum,Neoprene,Foam,Steel",
                    "Ball,Racket,Helmet,Bike,Mat,Dumbbell,Tent,Backpack,Bottle,Skateboard,Kayak"),
            category("toys", 60, 2_500, 0.7, "Plastic,Wooden,Plush,Rubber,Cardboard,Felt",
                    "Puzzle,Robot,Doll,Train,Kite,Blocks,Boardgame,Car,Dinosaur,Yo-Yo"),
            category("beauty", 50, 2_000, 0.6, "Herbal,Mineral,Botanical,Glass,Bamboo",
                    "Serum,Cream,Lipstick,Shampoo,Brush,Mirror,Perfume,Lotion,Palette"),
            category("health", 40, 2_500, 0.7, "Herbal,Plastic,Silicone,Steel,Cotton",
                    "Vitamins,Thermometer,Scale,Bandage,Massager,Pillbox,Toothbrush,Monitor"),
            category("automotive", 40, 6_000, 1.1, "Steel,Rubber,Chrome,Leather,Plastic,Aluminum",
                    "Tire,Wiper,Seat Cover,Jack,Battery,Mirror,Floor Mat,Dashcam,Headlight"),
            category("tools", 30, 5_500, 1.0, "Steel,Titanium,Iron,Fiberglass,Rubber,Brass",
                    "Hammer,Drill,Wrench,Saw,Screwdriver,Pliers,Toolbox,Level,Chisel,Sander"),
            category("garden", 30, 4_000, 0.9, "Terracotta,Steel,Wooden,Resin,Wicker,Rubber",
                    "Planter,Hose,Shovel,Rake,Bench,Sprinkler,Lantern,Birdhouse,Trellis"),
            category("grocery", 25, 800, 0.6, "Organic,Roasted,Smoked,Dried,Fresh,Spiced",
                    "Coffee,Tea,Chocolate,Honey,Pasta,Olive Oil,Granola,Almonds,Salsa"),
            category("pets", 20, 2_500, 0.8, "Nylon,Rubber,Plush,Wooden,Steel,Fleece",
                    "Leash,Collar,Bed,Bowl,Scratcher,Crate,Chew Toy,Litter Box,Aquarium"),
            category("office", 20, 2_000, 0.9, "Paper,Steel,Leather,Plastic,Oak,Felt",
                    "Notebook,Pen,Stapler,Desk,Organizer,Binder,Whiteboard,Planner,Lamp"),
            category("baby", 15, 3_000, 0.8, "Cotton,Bamboo,Silicone,Wooden,Fleece",
                    "Stroller,Bib,Crib,Rattle,Onesie,Blanket,Bottle,Carrier,Monitor"),
            category("jewelry", 12, 9_000, 1.2, "Gold,Silver,Platinum,Pearl,Diamond,Rose Gold",
                    "Ring,Necklace,Bracelet,Earrings,Pendant,Brooch,Anklet,Watch"),
            category("music", 10, 15_000, 1.2, "Maple,Rosewood,Brass,Spruce,Steel,Mahogany",
                    "Guitar,Ukulele,Violin,Drum,Keyboard,Microphone,Amplifier,Flute,Harmonica"),
            category("movies", 8, 1_500, 0.4, "Collector's,Remastered,Widescreen,Boxed,Limited",
                    "Edition,Box Set,Trilogy,Documentary,Classic,Series"),
            category("shoes", 6, 7_000, 0.6, "Leather,Suede,Canvas,Rubber,Mesh,Knit",
                    "Sneakers,Boots,Sandals,Loafers,Slippers,Heels,Trainers,Clogs"),
            category("industrial", 4, 25_000, 1.3, "Steel,Cast Iron,Stainless Steel,Polymer,Copper",
                    "Pump,Valve,Compressor,Generator,Conveyor,Welder,Workbench,Hoist")
    };

    private static Category category(String name, int weightPerMille, double medianCents, double sigma,
                                     String materials, String nouns) {
        byte[][] m = encode(materials.split(","));
        byte[][] n = encode(nouns.split(","));
        return new Category(name.getBytes(StandardCharsets.US_ASCII), weightPerMille, medianCents, sigma,
                m, lower(m), n, lower(n));
    }

    private static String[] split(String words) {
        return words.strip().split("\\s+");
    }

    private static String[] splitPhrases(String phrases) {
        return Arrays.stream(phrases.split(",")).map(String::strip).toArray(String[]::new);
    }

    private static byte[][] encode(String[] words) {
        byte[][] out = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    private static byte[][] lower(byte[][] words) {
        byte[][] out = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = new String(words[i], StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }
}
